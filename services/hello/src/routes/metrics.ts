import type { FastifyInstance } from 'fastify';

/** GET /metrics: Prometheus text exposition. */
export function metricsRoute(app: FastifyInstance): void {
  const { registry } = app.metrics;
  app.get('/metrics', async (_request, reply) => {
    return reply
      .header('cache-control', 'no-store')
      .type(registry.contentType)
      .send(await registry.metrics());
  });
}
