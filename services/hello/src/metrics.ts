import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Registry } from 'prom-client';
import {
  type CounterSeries,
  type HistogramSeries,
  HotCounter,
  HotHistogram,
  registerHotMetrics,
} from './hot-metrics.js';

export interface Metrics {
  registry: Registry;
  workSeconds: HistogramSeries;
  workCpuSeconds: HistogramSeries;
}

// One set of buckets for the loop's wall and CPU time, so the two histograms compare bucket by bucket.
const WORK_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

/**
 * Prometheus metrics with a registry per app, so that several apps in one process (tests) keep
 * separate counts. Default metrics include the event-loop delay that the busy loop causes. The
 * per-request ones are hot-path series (hot-metrics.ts) that the registry formats when scraped.
 */
export function registerMetrics(app: FastifyInstance): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 });

  const labelNames = ['method', 'route', 'status_code'];
  const requests = new HotCounter(
    'http_requests_total',
    'HTTP requests answered, by method, route and status code.',
    labelNames,
  );
  const duration = new HotHistogram(
    'http_request_duration_seconds',
    'Time from request to response, by method, route and status code.',
    [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    labelNames,
  );
  const workSeconds = new HotHistogram(
    'hello_work_duration_seconds',
    'Wall-clock time of the busy loop per answer to GET /, waits for a core included.',
    WORK_BUCKETS,
  );
  const workCpuSeconds = new HotHistogram(
    'hello_work_cpu_seconds',
    'CPU time consumed by the busy loop per answer to GET /.',
    WORK_BUCKETS,
  );
  // New TCP connections show whether a proxy in front reuses its connections (keep-alive).
  const connections = new HotCounter('http_connections_total', 'TCP connections accepted.');
  registerHotMetrics(registry, requests, duration, workSeconds, workCpuSeconds, connections);

  const accepted = connections.series({});
  app.server.on('connection', () => accepted.inc());

  // The series of each method, route and status, looked up once per combination.
  const series = new Map<string, { count: CounterSeries; time: HistogramSeries }>();
  app.addHook('onResponse', (request, reply, done) => {
    // Unmatched URLs share one label, so probing random paths cannot grow the series count.
    const route = request.routeOptions.url ?? 'unmatched';
    const key = `${request.method} ${route} ${reply.statusCode}`;
    let labelled = series.get(key);
    if (!labelled) {
      const labels = { method: request.method, route, status_code: reply.statusCode };
      labelled = { count: requests.series(labels), time: duration.series(labels) };
      series.set(key, labelled);
    }
    labelled.count.inc();
    labelled.time.observe(reply.elapsedTime / 1000);
    done();
  });

  return { registry, workSeconds: workSeconds.series({}), workCpuSeconds: workCpuSeconds.series({}) };
}
