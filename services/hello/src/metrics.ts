import { performance } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import {
  type CounterSeries,
  type HistogramSeries,
  HotCounter,
  HotHistogram,
  registerHotMetrics,
} from './hot-metrics.js';
import { SICK_MODES } from './sick.js';
import type { QueueObserver } from './work-queue.js';

export interface Metrics {
  registry: Registry;
  workSeconds: HistogramSeries;
  workCpuSeconds: HistogramSeries;
  /** What became of each request to the work queue, and how long it waited. */
  queueObserver: QueueObserver;
  /** The answers of one route (its URL pattern, or `unmatched`); look it up once, at registration. */
  answers(route: string): RouteAnswers;
}

interface Series {
  count: CounterSeries;
  time: HistogramSeries;
}

/**
 * Counts and times the answers of one route. Its series are found by method and status code in
 * two small maps: no label object and no key string per answer.
 */
export class RouteAnswers {
  readonly #byMethod = new Map<string, Map<number, Series>>();

  constructor(
    readonly route: string,
    private readonly requests: HotCounter,
    private readonly duration: HotHistogram,
  ) {}

  /** Counts one answer; `receivedAt` is performance.now() when its request arrived. */
  record(method: string, statusCode: number, receivedAt: number): void {
    let byStatus = this.#byMethod.get(method);
    if (!byStatus) {
      byStatus = new Map();
      this.#byMethod.set(method, byStatus);
    }
    let series = byStatus.get(statusCode);
    if (!series) {
      const labels = { method, route: this.route, status_code: statusCode };
      series = { count: this.requests.series(labels), time: this.duration.series(labels) };
      byStatus.set(statusCode, series);
    }
    series.count.inc();
    series.time.observe((performance.now() - receivedAt) / 1000);
  }
}

// One set of buckets for the loop's wall and CPU time, so the two histograms compare bucket by bucket.
const WORK_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

/**
 * Prometheus metrics with a registry per app, so that several apps in one process (tests) keep
 * separate counts. Default metrics include the event-loop delay that the busy loop causes. The
 * per-request ones are hot-path series (hot-metrics.ts) that the registry formats when scraped.
 * The app records answers through answers(); this file adds no hook of its own. The sick gauge
 * reads app.sick, which the app decorates first; the queue's gauges read app.work when scraped,
 * since the queue reports to these metrics and so is made after them.
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
    "Time from a request's arrival to its answer's hand-off to the socket, by method, route and status code.",
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
  const queueWait = new HotHistogram(
    'hello_queue_wait_seconds',
    'Time a request to GET / waited in the work queue before its busy loop started.',
    [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  );
  const skipped = new HotCounter(
    'hello_queue_skipped_total',
    'Requests to GET / dropped unanswered from the work queue because their client had gone.',
  );
  const shed = new HotCounter(
    'hello_shed_total',
    'Requests to GET / refused with 503 because their wait in the work queue passed QUEUE_MAX_WAIT_MS: on arrival (the queue ahead was too long) or in their turn (they had waited too long).',
    ['when'],
  );
  registerHotMetrics(
    registry,
    requests,
    duration,
    workSeconds,
    workCpuSeconds,
    connections,
    queueWait,
    skipped,
    shed,
  );

  // Which replica, version and node these series are: a join on `instance` names and colours a
  // replica in a dashboard, and sums it by node, as its answers' X-Hostname, X-Version and X-Node do.
  new Gauge({
    name: 'hello_info',
    help: 'The replica that exports these metrics: 1, with its hostname, version and node (empty on one machine) as labels.',
    labelNames: ['hostname', 'version', 'node'],
    registers: [registry],
  }).set({ hostname: app.identity.hostname, version: app.identity.version, node: app.identity.node }, 1);
  new Gauge({
    name: 'hello_queue_length',
    help: 'Requests to GET / waiting in the work queue for their busy loop.',
    registers: [registry],
    collect() {
      this.set(app.work.length);
    },
  });
  new Gauge({
    name: 'hello_queue_turn_seconds',
    help: 'The measured length of one turn of the work queue (a busy loop and what runs between loops); a new request would wait this times the queue length.',
    registers: [registry],
    collect() {
      this.set(app.work.turnMs / 1000);
    },
  });

  // Read at scrape time only: one series per mode, 1 for the mode the replica is in, so that a
  // dashboard can mark a sick replica and a query can count them.
  const { sick } = app;
  new Gauge({
    name: 'hello_sick',
    help: 'Whether the operator made this replica sick (make sick), by mode: 1 for its mode, 0 for the others.',
    labelNames: ['mode'],
    registers: [registry],
    collect() {
      for (const mode of SICK_MODES) this.set({ mode }, sick.state?.mode === mode ? 1 : 0);
    },
  });

  const accepted = connections.series({});
  app.server.on('connection', () => accepted.inc());

  // One handle per route, so that routes registered twice (GET and its HEAD) share their series.
  const routes = new Map<string, RouteAnswers>();
  const answers = (route: string): RouteAnswers => {
    let handle = routes.get(route);
    if (!handle) {
      handle = new RouteAnswers(route, requests, duration);
      routes.set(route, handle);
    }
    return handle;
  };

  const waited = queueWait.series({});
  const gone = skipped.series({});
  const shedOnArrival = shed.series({ when: 'arrival' });
  const shedInTurn = shed.series({ when: 'turn' });
  const queueObserver: QueueObserver = (waitMs, outcome) => {
    if (outcome === 'ran') waited.observe(waitMs / 1000);
    else if (outcome === 'skipped') gone.inc();
    else if (outcome === 'refused-on-arrival') shedOnArrival.inc();
    else shedInTurn.inc();
  };
  return {
    registry,
    workSeconds: workSeconds.series({}),
    workCpuSeconds: workCpuSeconds.series({}),
    queueObserver,
    answers,
  };
}
