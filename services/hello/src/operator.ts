import { UsageError } from '@hello-lab/shared/options';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { type Logger, pino } from 'pino';
import type { Identity } from './app.js';
import { parseSickChange, type Sickness } from './sick.js';

/** A change is a few short fields. */
const OPERATOR_BODY_LIMIT_BYTES = 1024;
const SICK_PATH = '/sick';
const SICK_METHODS = 'GET, HEAD, PUT, POST';

export interface OperatorOptions {
  /** Where the changes are logged; silent when not given (tests). */
  log?: Logger;
}

/** The fields of a change, from the query and a form, JSON or text body; the body's win. */
function fieldsOf(request: FastifyRequest): Record<string, string> {
  const { body } = request;
  const fromBody =
    typeof body === 'string'
      ? Object.fromEntries(new URLSearchParams(body))
      : body !== null && typeof body === 'object'
        ? body
        : {};
  const fields = { ...(request.query as Record<string, unknown>), ...fromBody };
  return Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, String(value)]));
}

/**
 * The operator's routes, on a listener of their own (OPERATOR_PORT), which the proxy never reaches:
 *   GET /sick           this replica's sick state (JSON)
 *   PUT or POST /sick   change it: mode=slow&factor=2, mode=fail&share=0.5, mode=unready,
 *                       mode=stall or mode=heal, in the query or a form body
 * Each answer is { hostname, version, sick, held }: held counts the requests a stall holds.
 * Like buildApp, it never listens: server.ts does, tests use inject().
 */
export function buildOperatorApp(
  sick: Sickness,
  identity: Identity,
  { log = pino({ level: 'silent' }) }: OperatorOptions = {},
): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: OPERATOR_BODY_LIMIT_BYTES });
  // BusyBox wget's --post-data sends a form; the fields are read from the text in fieldsOf.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => done(null, body),
  );

  const answer = () => ({
    hostname: identity.hostname,
    version: identity.version,
    sick: sick.state,
    held: sick.held,
  });

  app.get(SICK_PATH, async (_request, reply) => reply.header('cache-control', 'no-store').send(answer()));

  app.route({
    method: ['PUT', 'POST'],
    url: SICK_PATH,
    handler: async (request, reply) => {
      let state: ReturnType<typeof parseSickChange>;
      try {
        state = parseSickChange(fieldsOf(request));
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: error.message });
      }
      sick.set(state);
      if (state === null) log.info('healed by the operator');
      else log.warn({ sick: state }, 'made sick by the operator');
      return reply.header('cache-control', 'no-store').send(answer());
    },
  });

  app.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0] ?? '/';
    if (url === SICK_PATH) {
      return reply
        .code(405)
        .header('allow', SICK_METHODS)
        .send({
          statusCode: 405,
          error: 'Method Not Allowed',
          message: `${request.method} is not allowed on ${url}; use ${SICK_METHODS}`,
        });
    }
    return reply
      .code(404)
      .send({ statusCode: 404, error: 'Not Found', message: `No route for ${request.method} ${url}` });
  });

  return app;
}
