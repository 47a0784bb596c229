// Every question the page asks Prometheus, one per chart. The replicas' own metrics (hello's
// /metrics) joined on `instance` with hello_info, which names each replica and its version.

/** Rates over 5 s: at least four 1 s scrapes, so a rate survives one missed scrape. */
const RATE = '5s';

const greetings = `http_requests_total{route="/"}`;
const named = (labels: string) => `* on (instance) group_left (${labels}) hello_info`;
const tagged = (query: string, label: string, value: string) =>
  `label_replace(${query}, "${label}", "${value}", "", "")`;
const quantile = (q: number) =>
  `histogram_quantile(${q}, sum by (le) (rate(http_request_duration_seconds_bucket{route="/"}[${RATE}])))`;

export const QUERIES = {
  /** Answers to GET / per second, per replica (instance and hostname). */
  answers: `sum by (instance, hostname) (rate(${greetings}[${RATE}]) ${named('hostname')})`,
  /** Answers to GET / per second, per version. */
  versions: `sum by (version) (rate(${greetings}[${RATE}]) ${named('version')})`,
  /**
   * Answers to GET / per second, per node, on a cluster of several (hello_info's `node`, from
   * NODE_NAME); nothing on one machine, where no replica names one.
   */
  nodes: `sum by (node) (rate(${greetings}[${RATE}]) * on (instance) group_left (node) hello_info{node!=""})`,
  /** p50 and p99 of GET / over every replica, and the busy loop's CPU per answer: `line` says which. */
  latency: [
    tagged(quantile(0.5), 'line', 'p50'),
    tagged(quantile(0.99), 'line', 'p99'),
    tagged(
      `sum(rate(hello_work_cpu_seconds_sum[${RATE}])) / sum(rate(hello_work_cpu_seconds_count[${RATE}]))`,
      'line',
      'cpu',
    ),
  ].join(' or '),
  /** Non-2xx answers to GET / per second by status, and the 503s the replicas' queues shed. */
  errors: [
    `sum by (status_code) (rate(http_requests_total{route="/", status_code!~"2.."}[${RATE}]))`,
    tagged(`sum(rate(hello_shed_total[${RATE}]))`, 'status_code', 'shed'),
  ].join(' or '),
  /**
   * What the lab's events are read from (events.ts), `series` saying which: each replica's
   * hello_info (a replica is there while it has one), its process start time (a new one is a
   * restart) and its sick gauges.
   */
  lab: [
    tagged('hello_info', 'series', 'info'),
    tagged(`process_start_time_seconds ${named('hostname, version')}`, 'series', 'start'),
    tagged(`hello_sick ${named('hostname, version')}`, 'series', 'sick'),
  ].join(' or '),
} as const;

export type ChartName = keyof typeof QUERIES;
