import type { FastifyInstance } from 'fastify';
import { READY_PATH } from '../defaults.js';

/**
 * Liveness and readiness. Readiness fails from the moment shutdown starts, so balancers drain,
 * and while the operator has made the replica unready (make sick MODE=unready).
 */
export function healthRoutes(app: FastifyInstance): void {
  app.get('/healthz', async (_request, reply) => {
    return reply.header('cache-control', 'no-store').send({ status: 'ok' });
  });
  app.get(READY_PATH, async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    if (app.lifecycle.draining) return reply.code(503).send({ status: 'draining' });
    if (app.sick.unready) return reply.code(503).send({ status: 'unready' });
    return reply.send({ status: 'ready' });
  });
}
