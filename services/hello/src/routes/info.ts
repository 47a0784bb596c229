import type { FastifyInstance } from 'fastify';

/** GET /info: who this replica is and what it has done, as JSON. */
export function infoRoute(app: FastifyInstance): void {
  const { config, identity, stats, sick } = app;
  app.get('/info', async (_request, reply) => {
    return reply.header('cache-control', 'no-store').send({
      hostname: identity.hostname,
      version: identity.version,
      // The machine it runs on (NODE_NAME); null on one machine. `node` is Node.js's version.
      nodeName: identity.node || null,
      pid: process.pid,
      uptimeSeconds: Math.round(process.uptime() * 1000) / 1000,
      requestsServed: stats.requestsServed,
      // What GET / runs now: more than configured while the replica is made slow.
      workIterations: config.WORK_ITERATIONS * sick.factor,
      sick: sick.state,
      node: process.version,
    });
  });
}
