import type { Metric, Registry } from 'prom-client';

/**
 * Counters and histograms for the per-request path, where prom-client's own metrics would hash,
 * validate and allocate on every observation (docs/performance.md). Here an observation is a few
 * additions on a series looked up once; prom-client's registry still formats them, with its
 * default metrics, at scrape time, so /metrics reads as prom-client's own output.
 */

export type Labels = Readonly<Record<string, string | number>>;

/** One line of the exposition, as prom-client's registry takes it from a metric's get(). */
interface Sample {
  value: number;
  labels: Labels;
  metricName?: string;
}

interface Exposition {
  name: string;
  help: string;
  type: 'counter' | 'histogram';
  aggregator: 'sum';
  values: Sample[];
}

/** A series' key: its label values in the metric's label order. */
function keyOf(labelNames: readonly string[], labels: Labels): string {
  return labelNames.map((name) => String(labels[name])).join('\u0000');
}

function checkLabels(metric: string, labelNames: readonly string[], labels: Labels): void {
  const names = Object.keys(labels);
  if (names.length !== labelNames.length || names.some((name) => !labelNames.includes(name))) {
    throw new Error(
      `${metric}: labels ${names.join(', ') || '(none)'} given, ${labelNames.join(', ') || 'none'} expected`,
    );
  }
}

/**
 * What a counter and a histogram share: a name and help for the registry, and a table of series
 * by label values, each series created on first use.
 */
abstract class HotMetric<S extends { labels: Labels }> {
  abstract readonly type: Exposition['type'];
  readonly aggregator = 'sum';
  protected readonly table = new Map<string, S>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
  ) {}

  /** The series of these labels, created on first use; keep it: it is the cheap handle, this is not. */
  series(labels: Labels): S {
    checkLabels(this.name, this.labelNames, labels);
    const key = keyOf(this.labelNames, labels);
    let series = this.table.get(key);
    if (!series) {
      series = this.create({ ...labels });
      this.table.set(key, series);
    }
    return series;
  }

  protected abstract create(labels: Labels): S;

  protected abstract samples(): Sample[];

  async get(): Promise<Exposition> {
    return {
      name: this.name,
      help: this.help,
      type: this.type,
      aggregator: this.aggregator,
      values: this.samples(),
    };
  }
}

export class CounterSeries {
  value = 0;
  constructor(readonly labels: Labels) {}

  inc(): void {
    this.value += 1;
  }
}

export class HotCounter extends HotMetric<CounterSeries> {
  readonly type = 'counter';

  constructor(name: string, help: string, labelNames: readonly string[] = []) {
    super(name, help, labelNames);
    // As prom-client does: a metric without labels shows 0 before its first count.
    if (labelNames.length === 0) this.series({});
  }

  protected create(labels: Labels): CounterSeries {
    return new CounterSeries(labels);
  }

  protected samples(): Sample[] {
    return [...this.table.values()].map(({ value, labels }) => ({ value, labels }));
  }
}

export class HistogramSeries {
  /** Observations per bucket, not yet cumulative; the last slot counts those above every bound. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(
    readonly labels: Labels,
    readonly bounds: readonly number[],
  ) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(value: number): void {
    const { bounds } = this;
    let bucket = 0;
    while (bucket < bounds.length && value > (bounds[bucket] as number)) bucket++;
    this.counts[bucket] = (this.counts[bucket] as number) + 1;
    this.sum += value;
    this.count += 1;
  }
}

export class HotHistogram extends HotMetric<HistogramSeries> {
  readonly type = 'histogram';

  constructor(
    name: string,
    help: string,
    readonly buckets: readonly number[],
    labelNames: readonly string[] = [],
  ) {
    super(name, help, labelNames);
    if (labelNames.length === 0) this.series({});
  }

  protected create(labels: Labels): HistogramSeries {
    return new HistogramSeries(labels, this.buckets);
  }

  /** prom-client's layout: cumulative buckets with `le` first, then +Inf, sum and count. */
  protected samples(): Sample[] {
    const values: Sample[] = [];
    const bucketName = `${this.name}_bucket`;
    for (const { labels, counts, sum, count } of this.table.values()) {
      let cumulative = 0;
      this.buckets.forEach((le, bucket) => {
        cumulative += counts[bucket] as number;
        values.push({ metricName: bucketName, labels: { le, ...labels }, value: cumulative });
      });
      values.push({ metricName: bucketName, labels: { le: '+Inf', ...labels }, value: count });
      values.push({ metricName: `${this.name}_sum`, labels, value: sum });
      values.push({ metricName: `${this.name}_count`, labels, value: count });
    }
    return values;
  }
}

/**
 * Adds the metrics to a prom-client registry. The registry reads only a metric's name, type,
 * help, aggregator and get(); its type declarations name prom-client's own classes alone.
 */
export function registerHotMetrics(registry: Registry, ...metrics: Array<HotCounter | HotHistogram>): void {
  for (const metric of metrics) registry.registerMetric(metric as unknown as Metric);
}
