import type { LiveViewBenchRun, LiveViewCpuRun, Measurements } from '../measurements.js';
import { median, round } from '../summary.js';
import { TARGETS } from '../targets.js';
import { figure, itemLabel, LOADGEN, type Section } from './figure.js';

/** Cores as a share of the whole machine, in %. */
export const machineShare = (cores: number, machineCores: number) => (cores / machineCores) * 100;

/** nginx's CPU for the page's queries: what it used with them, less what it used idle beside. */
export const nginxAdded = (run: LiveViewCpuRun) =>
  Math.max(0, run.queries.nginxCores - run.scrapes.nginxCores);

/** The budget, "Prometheus and the page together": Prometheus answering them and nginx's share. */
export const liveViewCores = (run: LiveViewCpuRun) => run.queries.prometheusCores + nginxAdded(run);

/** (max − min) / median of the repeats, in %: how far the same bench moves on its own. */
export function spread(values: readonly number[]): number {
  const middle = median(values);
  return values.length === 0 || !(middle > 0)
    ? Number.NaN
    : ((Math.max(...values) - Math.min(...values)) / middle) * 100;
}

export interface BenchComparison {
  without: number[];
  with: number[];
  /** Each pair's with / without, in the order run (A B A B). */
  ratios: number[];
  /** How far the median with the queries is from the median without, in %. */
  differencePercent: number;
  spreadWithout: number;
  spreadWith: number;
  /** Whether the difference is no larger than the larger spread of the repeats. */
  withinNoise: boolean;
}

/** The alternated benches, paired in the order run: each one without, then its one with. */
export function compareBenches(runs: readonly LiveViewBenchRun[]): BenchComparison {
  const without = runs.filter((run) => !run.withQueries).map((run) => run.rps);
  const withQueries = runs.filter((run) => run.withQueries).map((run) => run.rps);
  const pairs = Math.min(without.length, withQueries.length);
  const ratios = Array.from({ length: pairs }, (_, i) => (withQueries[i] as number) / (without[i] as number));
  const differencePercent = (median(withQueries) / median(without) - 1) * 100;
  const spreadWithout = spread(without);
  const spreadWith = spread(withQueries);
  return {
    without,
    with: withQueries,
    ratios,
    differencePercent,
    spreadWithout,
    spreadWith,
    withinNoise: Math.abs(differencePercent) <= Math.max(spreadWithout, spreadWith),
  };
}

const percent = (value: number) => `${round(value, 2)} %`;

/** Prometheus' CPU with and without the page's queries, nginx's for them, and the bench beside. */
export function liveViewSection(measurements: Measurements): Section {
  const { options, cores, liveViewCpu: cpu, liveViewBench: bench } = measurements;
  if (cpu.length === 0) return { figures: [], notes: [] };
  const replicas = cpu[0]?.replicas ?? 0;
  const cpuMethod = {
    tool: 'cgroup CPU usage of the Prometheus and nginx containers; the page\u2019s range queries sent from the host',
    target: `Prometheus scraping ${replicas} replicas every second, alone and with the live page\u2019s queries each second through the published port; each repetition starts with the other`,
    durationSeconds: options.duration,
    connections: null,
    repetitions: cpu.length,
  };
  const share = (cores_: number) => machineShare(cores_, cores);
  const cpuFigure = (id: string, name: string, pick: (run: LiveViewCpuRun) => number, extra = {}) =>
    figure({
      id,
      item: 'liveView',
      name,
      unit: '%',
      samples: cpu.map((run) => share(pick(run))),
      method: cpuMethod,
      ...extra,
    });
  const sent = cpu.reduce((sum, run) => sum + run.queries.requests, 0);
  const failed =
    cpu.reduce((sum, run) => sum + run.queries.failed, 0) + bench.reduce((sum, run) => sum + run.failed, 0);
  const section: Section = {
    figures: [
      cpuFigure(
        'live-view-prometheus-scrapes',
        'Prometheus\u2019 CPU, scrapes only, of the machine',
        (run) => run.scrapes.prometheusCores,
      ),
      cpuFigure(
        'live-view-prometheus-queries',
        'Prometheus\u2019 CPU with the page\u2019s queries, of the machine',
        (run) => run.queries.prometheusCores,
      ),
      cpuFigure(
        'live-view-nginx-added',
        'nginx\u2019s added CPU for the page\u2019s queries, of the machine',
        nginxAdded,
      ),
      cpuFigure(
        'live-view-share',
        'Prometheus and the page\u2019s queries through nginx, together, of the machine',
        liveViewCores,
        {
          target: TARGETS.liveViewShare,
        },
      ),
      figure({
        id: 'live-view-queries-over-scrapes',
        item: 'liveView',
        name: '\u2026 Prometheus\u2019 CPU with the page\u2019s queries / scrapes only',
        unit: '',
        samples: cpu.map((run) => run.queries.prometheusCores / run.scrapes.prometheusCores),
        method: cpuMethod,
      }),
    ],
    notes: [
      `${itemLabel('liveView')}: the page\u2019s queries are the live page\u2019s five range queries (services/dashboard), the whole window on the first refresh and the last seconds after, sent each second; ${sent} sent in the CPU runs, ${failed} of them and of the benches\u2019 not answered with success. The browser\u2019s own CPU is not in these figures.`,
    ],
  };
  if (bench.length === 0) return section;
  const compared = compareBenches(bench);
  const benchMethod = {
    tool: LOADGEN,
    target: `nginx to ${replicas} replicas with the busy loop and Prometheus, alternated without and with the page\u2019s queries (A B A B)`,
    durationSeconds: options.duration,
    connections: options.connections,
    repetitions: compared.ratios.length,
  };
  const throughput = (way: 'without' | 'with') =>
    figure({
      id: `live-view-bench-${way}`,
      item: 'liveView',
      name: `Throughput, ${replicas} replicas, ${way} the page\u2019s queries`,
      unit: 'req/s',
      samples: compared[way],
      method: { ...benchMethod, repetitions: compared[way].length },
      decimals: 1,
    });
  section.figures.push(
    throughput('without'),
    throughput('with'),
    figure({
      id: 'live-view-bench-ratio',
      item: 'liveView',
      name: '\u2026 with / without, each pair',
      unit: '',
      samples: compared.ratios,
      method: benchMethod,
    }),
  );
  section.notes.push(
    `${itemLabel('liveView')}, the bench: with the page\u2019s queries the median moved by ${percent(compared.differencePercent)}, ` +
      `beside a spread of the repeats (max \u2212 min over the median) of ${percent(compared.spreadWithout)} without and ${percent(compared.spreadWith)} with: ` +
      `${compared.withinNoise ? 'within the noise' : 'more than the noise'}.`,
  );
  return section;
}
