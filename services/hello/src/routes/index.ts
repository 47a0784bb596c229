import type { FastifyInstance } from 'fastify';
import { healthRoutes } from './health.js';
import { helloRoute } from './hello.js';
import { infoRoute } from './info.js';
import { metricsRoute } from './metrics.js';

/**
 * The whole API. Every route answers GET (and HEAD); other methods get 405.
 *   GET /         the seed's greeting after the busy loop (text, or a page for browsers)
 *   GET /healthz  liveness
 *   GET /readyz   readiness: 503 once shutdown has started
 *   GET /info     hostname, version, pid, uptime, requests served, work iterations (JSON)
 *   GET /metrics  Prometheus metrics
 */
export const ROUTES = [helloRoute, healthRoutes, infoRoute, metricsRoute];

export function registerRoutes(app: FastifyInstance): void {
  for (const register of ROUTES) register(app);
}
