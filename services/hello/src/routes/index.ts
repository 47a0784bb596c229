import type { FastifyInstance } from 'fastify';
import { healthRoutes } from './health.js';
import { helloRoute } from './hello.js';
import { infoRoute } from './info.js';
import { metricsRoute } from './metrics.js';

/**
 * The whole API. Every route answers GET (and HEAD); other methods get 405.
 *   GET /         the seed's greeting after the busy loop (text, or a page for browsers)
 *   GET /healthz  liveness
 *   GET /readyz   readiness: 503 once shutdown has started, or while made unready
 *   GET /info     hostname, version, pid, uptime, requests served, work iterations, sick (JSON)
 *   GET /metrics  Prometheus metrics
 * The operator's routes (GET, POST /sick) are on a port of their own: operator.ts.
 */
export const ROUTES = [helloRoute, healthRoutes, infoRoute, metricsRoute];

export function registerRoutes(app: FastifyInstance): void {
  for (const register of ROUTES) register(app);
}
