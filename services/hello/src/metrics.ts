import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export interface Metrics {
  registry: Registry;
  workSeconds: Histogram;
  workCpuSeconds: Histogram;
}

// One set of buckets for the loop's wall and CPU time, so the two histograms compare bucket by bucket.
const WORK_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

/**
 * Prometheus metrics with a registry per app, so that several apps in one process (tests) keep
 * separate counts. Default metrics include the event-loop delay that the busy loop causes.
 */
export function registerMetrics(app: FastifyInstance): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 });

  const labelNames = ['method', 'route', 'status_code'] as const;
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route and status code.',
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from request to response, by method, route and status code.',
    labelNames,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const workSeconds = new Histogram({
    name: 'hello_work_duration_seconds',
    help: 'Wall-clock time of the busy loop per answer to GET /, waits for a core included.',
    buckets: WORK_BUCKETS,
    registers: [registry],
  });
  const workCpuSeconds = new Histogram({
    name: 'hello_work_cpu_seconds',
    help: 'CPU time consumed by the busy loop per answer to GET /.',
    buckets: WORK_BUCKETS,
    registers: [registry],
  });

  // New TCP connections show whether a proxy in front reuses its connections (keep-alive).
  const connections = new Counter({
    name: 'http_connections_total',
    help: 'TCP connections accepted.',
    registers: [registry],
  });
  app.server.on('connection', () => connections.inc());

  // The labelled series of each method, route and status, looked up once: prom-client would
  // otherwise hash the label object on every request.
  const series = new Map<string, { count: Counter.Internal; time: Histogram.Internal<string> }>();
  app.addHook('onResponse', (request, reply, done) => {
    // Unmatched URLs share one label, so probing random paths cannot grow the series count.
    const route = request.routeOptions.url ?? 'unmatched';
    const key = `${request.method} ${route} ${reply.statusCode}`;
    let labelled = series.get(key);
    if (!labelled) {
      const labels = { method: request.method, route, status_code: reply.statusCode };
      labelled = { count: requests.labels(labels), time: duration.labels(labels) };
      series.set(key, labelled);
    }
    labelled.count.inc();
    labelled.time.observe(reply.elapsedTime / 1000);
    done();
  });

  return { registry, workSeconds, workCpuSeconds };
}
