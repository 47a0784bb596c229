import { hostname } from 'node:os';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
  LogController,
} from 'fastify';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { type Metrics, registerMetrics } from './metrics.js';
import { registerRoutes } from './routes/index.js';
import { NO_WORK_TIMING } from './work.js';

export interface Identity {
  hostname: string;
  version: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    identity: Identity;
    stats: { requestsServed: number };
    metrics: Metrics;
    /** `draining` turns true when shutdown starts; readiness then fails. */
    lifecycle: { draining: boolean };
  }
}

/** True when the logger writes debug lines; the null logger of tests has no levels at all. */
const debugEnabled = (logger: unknown): boolean =>
  (logger as Partial<Logger>).isLevelEnabled?.('debug') === true;

/**
 * Per-request lines at debug level: at info they would cost throughput under load, and the
 * proxy's access log already has every request. Errors stay at error level. Below debug no line's
 * fields are even built: that alone took a clock reading per answer.
 */
class DebugRequestLog extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    if (debugEnabled(request.log)) request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (error)
      reply.log.error({ res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored');
    else if (debugEnabled(request.log))
      request.log.debug({ res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }
}

// No route takes a body; anything larger than a small form is refused with 413.
export const BODY_LIMIT_BYTES = 16 * 1024;

/** Builds the service from its config. It never listens: server.ts does, tests use inject(). */
export function buildApp(config: Config, options: FastifyServerOptions = {}): FastifyInstance {
  const app = Fastify({
    bodyLimit: BODY_LIMIT_BYTES,
    // The proxy's request id ties its access log to this service's log lines.
    requestIdHeader: 'x-request-id',
    logController: new DebugRequestLog(),
    // A child logger per request costs more than the rest of an answer without the busy loop;
    // it only carries the request id, which only the debug-level request lines use.
    childLoggerFactory: (logger, bindings, childOptions) =>
      debugEnabled(logger) ? logger.child(bindings, childOptions) : logger,
    ...options,
  });

  app.decorate('config', config);
  app.decorate('identity', { hostname: hostname(), version: config.APP_VERSION });
  app.decorate('stats', { requestsServed: 0 });
  app.decorate('lifecycle', { draining: false });
  app.decorate('metrics', registerMetrics(app));

  // Every answer, errors included, says which replica and version gave it: set before routing,
  // the headers stay on error answers too. Answers without the loop carry the same Server-Timing
  // metrics at zero, which GET / replaces with its own: one shape for every answer. One hook on
  // every request, with a callback rather than a promise: the cheapest on the hot path.
  const { hostname: replica, version } = app.identity;
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-hostname', replica).header('x-version', version).header('server-timing', NO_WORK_TIMING);
    // Refused before routing, so a body that no route reads is never accepted, whatever the method.
    if (Number(request.headers['content-length'] ?? 0) <= BODY_LIMIT_BYTES) return done();
    reply
      .code(413)
      .header('connection', 'close')
      .send({
        statusCode: 413,
        error: 'Payload Too Large',
        message: `Request bodies are limited to ${BODY_LIMIT_BYTES} bytes`,
      });
  });

  registerRoutes(app);

  // A known path with the wrong method is 405 with Allow; anything else is 404.
  app.setNotFoundHandler(async (request, reply) => {
    const url = request.url.split('?')[0] ?? '/';
    if (app.hasRoute({ url, method: 'GET' })) {
      return reply
        .code(405)
        .header('allow', 'GET, HEAD')
        .send({
          statusCode: 405,
          error: 'Method Not Allowed',
          message: `${request.method} is not allowed on ${url}; use GET or HEAD`,
        });
    }
    return reply.code(404).send({
      statusCode: 404,
      error: 'Not Found',
      message: `No route for ${request.method} ${url}`,
    });
  });

  return app;
}
