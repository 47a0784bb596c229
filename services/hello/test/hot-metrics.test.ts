import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { HotCounter, HotHistogram, registerHotMetrics } from '../src/hot-metrics.js';

// The hot-path series must expose exactly what prom-client's own metrics would for the same
// observations: dashboards and scrapers see no difference.

const BUCKETS = [0.001, 0.01, 0.1, 1];
const LABELS = ['method', 'route', 'status_code'];
const OBSERVATIONS: [Record<string, string | number>, number][] = [
  [{ method: 'GET', route: '/', status_code: 200 }, 0.0004],
  [{ method: 'GET', route: '/', status_code: 200 }, 0.001],
  [{ method: 'GET', route: '/', status_code: 200 }, 0.05],
  [{ method: 'GET', route: 'unmatched', status_code: 404 }, 2],
  [{ method: 'POST', route: '/', status_code: 405 }, 0.1],
];

function withPromClient(): Registry {
  const registry = new Registry();
  const count = new Counter({
    name: 'req_total',
    help: 'Requests.',
    labelNames: LABELS,
    registers: [registry],
  });
  const time = new Histogram({
    name: 'req_seconds',
    help: 'Request time.',
    labelNames: LABELS,
    buckets: BUCKETS,
    registers: [registry],
  });
  const plain = new Counter({ name: 'conn_total', help: 'Connections.', registers: [registry] });
  for (const [labels, value] of OBSERVATIONS) {
    count.labels(labels).inc();
    time.labels(labels).observe(value);
  }
  plain.inc();
  plain.inc();
  return registry;
}

function withHotSeries(): Registry {
  const registry = new Registry();
  const count = new HotCounter('req_total', 'Requests.', LABELS);
  const time = new HotHistogram('req_seconds', 'Request time.', BUCKETS, LABELS);
  const plain = new HotCounter('conn_total', 'Connections.');
  registerHotMetrics(registry, count, time, plain);
  for (const [labels, value] of OBSERVATIONS) {
    count.series(labels).inc();
    time.series(labels).observe(value);
  }
  plain.series({}).inc();
  plain.series({}).inc();
  return registry;
}

describe('hot-path metrics', () => {
  it("expose the same text as prom-client's Counter and Histogram", async () => {
    const expected = await withPromClient().metrics();
    expect(expected).toContain('req_seconds_bucket{le="0.001",method="GET",route="/",status_code="200"} 2');
    expect(await withHotSeries().metrics()).toBe(expected);
  });

  it('show an unlabelled counter at 0 before its first count, as prom-client does', async () => {
    const registry = new Registry();
    registerHotMetrics(registry, new HotCounter('conn_total', 'Connections.'));
    expect(await registry.metrics()).toContain('conn_total 0');
  });

  it('hand out one series per label set, whatever the order of the labels', () => {
    const count = new HotCounter('req_total', 'Requests.', LABELS);
    const a = count.series({ method: 'GET', route: '/', status_code: 200 });
    const b = count.series({ status_code: 200, route: '/', method: 'GET' });
    expect(b).toBe(a);
  });

  it('refuse labels the metric does not have', () => {
    const count = new HotCounter('req_total', 'Requests.', LABELS);
    expect(() => count.series({ method: 'GET' })).toThrow(
      'req_total: labels method given, method, route, status_code expected',
    );
    const time = new HotHistogram('req_seconds', 'Request time.', BUCKETS);
    expect(() => time.series({ route: '/' })).toThrow('req_seconds: labels route given, none expected');
  });
});
