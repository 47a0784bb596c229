import type { Server } from 'node:http';
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import Fastify, {
  type FastifyError,
  type FastifyHttpOptions,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type HookHandlerDoneFunction,
  type onSendHookHandler,
} from 'fastify';
import { type Logger, pino } from 'pino';
import type { Config } from './config.js';
import { type Metrics, type RouteAnswers, registerMetrics } from './metrics.js';
import { registerRoutes } from './routes/index.js';
import { Sickness } from './sick.js';
import { NO_WORK_TIMING } from './work.js';
import { WorkQueue } from './work-queue.js';

export interface Identity {
  hostname: string;
  version: string;
  /** NODE_NAME: the machine the replica runs on; empty when the orchestrator gives none. */
  node: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    identity: Identity;
    stats: { requestsServed: number };
    metrics: Metrics;
    /** `draining` turns true when shutdown starts; readiness then fails. */
    lifecycle: { draining: boolean };
    /** What the operator made this replica suffer, if anything (operator.ts changes it). */
    sick: Sickness;
    /** The busy loops waiting their turn, one a turn of the event loop (work-queue.ts). */
    work: WorkQueue;
  }
  interface FastifyRequest {
    /** performance.now() when the request arrived: the start of its duration metric. */
    receivedAt: number;
  }
}

export interface AppOptions extends Omit<FastifyHttpOptions<Server>, 'logger' | 'loggerInstance'> {
  /** Where the service logs; silent when not given (tests). */
  log?: Logger;
}
// No route takes a body; anything larger than a small form is refused with 413.
export const BODY_LIMIT_BYTES = 16 * 1024;

/**
 * Builds the service from its config. It never listens: server.ts does, tests use inject().
 *
 * The request path does only what an answer needs, since that is what the lab adds to every
 * request (docs/performance.md, hello against the bare server): no Fastify logger (the service
 * logs start, shutdown and failures itself; per-request lines only at LOG_LEVEL=debug), answers
 * counted in a per-route onSend hook because onResponse adds listeners to every response, and
 * bodyless requests start with their body stream already ended.
 */
export function buildApp(config: Config, options: AppOptions = {}): FastifyInstance {
  const { log = pino({ level: 'silent' }), http, ...fastifyOptions } = options;
  const app = Fastify({
    bodyLimit: BODY_LIMIT_BYTES,
    // The proxy's request id ties its access log to this service's log lines.
    requestIdHeader: 'x-request-id',
    logger: false,
    http: { optimizeEmptyRequests: true, ...http },
    ...fastifyOptions,
  });

  app.decorate('config', config);
  app.decorate('identity', { hostname: hostname(), version: config.APP_VERSION, node: config.NODE_NAME });
  app.decorate('stats', { requestsServed: 0 });
  app.decorate('lifecycle', { draining: false });
  app.decorate('sick', new Sickness());
  app.decorate('metrics', registerMetrics(app));
  app.decorate('work', new WorkQueue(config.QUEUE_MAX_WAIT_MS, app.metrics.queueObserver));
  app.server.on('connection', () => app.work.connectionAccepted());
  app.decorateRequest('receivedAt', 0);

  const unmatched = app.metrics.answers('unmatched');
  const count = (answers: RouteAnswers, request: FastifyRequest, reply: FastifyReply) =>
    answers.record(request.method, reply.statusCode, request.receivedAt);

  // Refused before routing, so a body that no route reads is never accepted, whatever the method.
  const admit = (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    if (Number(request.headers['content-length'] ?? 0) <= BODY_LIMIT_BYTES) return done();
    reply
      .code(413)
      .header('connection', 'close')
      .send({
        statusCode: 413,
        error: 'Payload Too Large',
        message: `Request bodies are limited to ${BODY_LIMIT_BYTES} bytes`,
      });
    // A route counts its own answers (below); an unknown path has no route to do it.
    if (request.is404) count(unmatched, request, reply);
  };

  // Every answer, errors included, says which replica and version gave it, and on a cluster which
  // node (X-Node, only when NODE_NAME names one): set before routing,
  // the headers stay on error answers too. Answers without the loop carry the same Server-Timing
  // metrics at zero, which GET / replaces with its own: one shape for every answer. One hook on
  // every request, with a callback rather than a promise: the cheapest on the hot path.
  const { hostname: replica, version, node } = app.identity;
  const { sick } = app;
  app.addHook('onRequest', (request, reply, done) => {
    request.receivedAt = performance.now();
    reply.header('x-hostname', replica).header('x-version', version).header('server-timing', NO_WORK_TIMING);
    if (node) reply.header('x-node', node);
    // A stalled replica answers nothing, refusals included, until it is healed.
    if (sick.stalled) sick.hold(request.raw, () => admit(request, reply, done));
    else admit(request, reply, done);
  });
  // Closing releases what a stall holds, so that the drain answers it.
  app.addHook('preClose', (done) => {
    sick.set(null);
    done();
  });

  // Each route counts its answers, errors and refusals included, in a hook of its own.
  app.addHook('onRoute', (route) => {
    const answers = app.metrics.answers(route.url);
    const counter: onSendHookHandler = (request, reply, payload, done) => {
      count(answers, request, reply);
      done(null, payload);
    };
    route.onSend = [route.onSend ?? []].flat().concat(counter);
  });

  // A failed request is logged with its id, as the proxy logged it; the answer is Fastify's own.
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const statusCode = error.statusCode ?? 500;
    const fields = { reqId: request.id, req: { method: request.method, url: request.url }, err: error };
    if (statusCode >= 500) log.error(fields, 'request errored');
    else log.info(fields, 'request refused');
    reply.send(error);
  });

  if (log.isLevelEnabled('debug')) {
    app.addHook('onRequest', (request, _reply, done) => {
      log.debug({ reqId: request.id, req: { method: request.method, url: request.url } }, 'incoming request');
      done();
    });
    app.addHook('onResponse', (request, reply, done) => {
      const responseTime = performance.now() - request.receivedAt;
      log.debug(
        { reqId: request.id, res: { statusCode: reply.statusCode }, responseTime },
        'request completed',
      );
      done();
    });
  }

  registerRoutes(app);

  // A known path with the wrong method is 405 with Allow; anything else is 404.
  app.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0] ?? '/';
    if (app.hasRoute({ url, method: 'GET' })) {
      reply
        .code(405)
        .header('allow', 'GET, HEAD')
        .send({
          statusCode: 405,
          error: 'Method Not Allowed',
          message: `${request.method} is not allowed on ${url}; use GET or HEAD`,
        });
    } else {
      reply.code(404).send({
        statusCode: 404,
        error: 'Not Found',
        message: `No route for ${request.method} ${url}`,
      });
    }
    count(unmatched, request, reply);
  });

  return app;
}
