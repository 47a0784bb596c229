import { round } from '@hello-lab/shared/round';
import type { Model } from './model.js';
import { flagOf, type Options } from './options.js';
import type { BenchResult } from './result.js';
import { replicasSeen } from './tally.js';

/** The load options that make runs comparable; the per-run ones (label, reports, output) are left out. */
const LOAD_KEYS = [
  'url',
  'duration',
  'amount',
  'connections',
  'pipelining',
  'warmup',
  'rate',
  'cores',
  'proxyCores',
] as const satisfies ReadonlyArray<keyof Options>;

export type LoadOptions = Pick<Options, (typeof LOAD_KEYS)[number]>;

/** One run of the sweep. */
export interface SweepRow {
  /** The run's --label, such as "2 replicas": what the sweep asked for. */
  label: string | null;
  /** Replicas seen: distinct hostnames that answered. What the row is ordered by. */
  replicas: number;
  throughputRps: number;
  latencyMs: Pick<BenchResult['latencyMs'], 'p50' | 'p99'>;
  /** Failed requests: non-2xx answers plus autocannon's errors, which include its timeouts. */
  errors: number;
  model: Pick<Model, 'capacityRps' | 'effectiveCores' | 'throughputRatio' | 'limit'>;
  /** Throughput / the throughput of the 1-replica run; null without such a run. */
  speedUp: number | null;
  startedAt: string;
}

/** A row before it is compared with the 1-replica run. */
type RunRow = Omit<SweepRow, 'speedUp'>;

/**
 * Why throughput stops growing, or why the sweep cannot say:
 * - `cores`: the model expects it too: the replicas already fill the cores left for them;
 * - `elsewhere`: the model expected more, so something else limits the run;
 * - `still growing`: it grew at every step;
 * - `one replica count`: every run saw the same number of replicas, nothing to compare.
 */
export type ScalingVerdict = 'cores' | 'elsewhere' | 'still growing' | 'one replica count';

export interface Scaling {
  verdict: ScalingVerdict;
  /** The replica count after which throughput grows by less than GROWTH_THRESHOLD; null if none. */
  stopsAt: number | null;
  /** The cores left for the replicas in the run the sentence speaks of. */
  effectiveCores: number;
  /** One plain sentence on where scaling stops. */
  sentence: string;
}

/**
 * A sweep: the same load run once per replica count, set side by side to show where adding
 * replicas stops adding throughput. Built from the runs' BenchResults; what sweep-latest.json holds.
 */
export interface SweepResult {
  /** The first run's start and the last run's end. */
  startedAt: string;
  finishedAt: string;
  /** The first run's load options; `mixedOptions` names those that other runs did not share. */
  options: LoadOptions;
  /** Flags, such as "--connections", whose values differ between runs: their numbers do not compare. */
  mixedOptions: string[];
  /** One per run, by replicas seen; runs that saw as many keep the order they were given in. */
  rows: SweepRow[];
  scaling: Scaling;
}

/** Throughput "grows" from one replica count to the next when it rises by at least this share. */
export const GROWTH_THRESHOLD = 0.1;

const replicas = (n: number) => `${n} ${n === 1 ? 'replica' : 'replicas'}`;

function toRow(result: BenchResult): RunRow {
  const { requests, model } = result;
  return {
    label: result.options.label,
    replicas: replicasSeen(result.hostnames),
    throughputRps: result.throughputRps,
    latencyMs: { p50: result.latencyMs.p50, p99: result.latencyMs.p99 },
    errors: requests.non2xx + requests.errors,
    model: {
      capacityRps: model.capacityRps,
      effectiveCores: model.effectiveCores,
      throughputRatio: model.throughputRatio,
      limit: model.limit,
    },
    startedAt: result.startedAt,
  };
}

/**
 * How much `to` is above `from`, as a share: 0.1 for 10 % more. Rounded, so that 200 to 220 is
 * exactly 10 % and not a hair less in floating point. Growth from nothing is all growth.
 */
function growth(from: number, to: number): number {
  if (from <= 0) return to > 0 ? Number.POSITIVE_INFINITY : 0;
  return round(to / from - 1, 9);
}

/** The growth the model expects from `from` to `to` replicas on C cores: min(R, C) grows, nothing else. */
function modelGrowth(from: number, to: number, cores: number): number {
  const usable = (replicas: number) => Math.max(0, Math.min(replicas, cores));
  return growth(usable(from), usable(to));
}

/**
 * Where scaling stops, by a rule simple enough to check by hand:
 * 1. Walk the rows in order of replicas and compare each with the row after it; runs that saw as
 *    many replicas are not compared with each other.
 * 2. Scaling stops at the first replica count k whose next step adds less than GROWTH_THRESHOLD
 *    (10 %) to the throughput.
 * 3. The model explains it when it expects less than that too: capacity grows as min(R, C_eff)
 *    (C_eff of the run at k), so once k replicas fill the cores left, another adds nothing. If the
 *    model expected more, the sentence names the limit the model gives for the next run.
 * 4. p99 latency "rises" when the run with the most replicas has a p99 over 10 % above the one at k.
 */
function scalingOf(rows: readonly RunRow[]): Scaling {
  const first = rows[0];
  const last = rows.at(-1);
  if (first === undefined || last === undefined) throw new RangeError('a sweep needs at least one run');
  const cores = (row: RunRow) => round(row.model.effectiveCores, 2);

  const steps = rows.slice(1).flatMap((next, i) => {
    const row = rows[i] as RunRow;
    return next.replicas > row.replicas ? [[row, next] as const] : [];
  });
  if (steps.length === 0) {
    return {
      verdict: 'one replica count',
      stopsAt: null,
      effectiveCores: cores(last),
      sentence: `Every run saw ${replicas(last.replicas)}: nothing to compare; sweep over more replica counts to see where scaling stops.`,
    };
  }
  const knee = steps.find(([row, next]) => growth(row.throughputRps, next.throughputRps) < GROWTH_THRESHOLD);
  if (knee === undefined) {
    return {
      verdict: 'still growing',
      stopsAt: null,
      effectiveCores: cores(last),
      sentence: `Throughput still grows at ${replicas(last.replicas)}, the most in this sweep (the cores left for the replicas: ${cores(last)}); add replicas to find where it stops.`,
    };
  }

  const [row, next] = knee;
  const k = row.replicas;
  if (modelGrowth(k, next.replicas, row.model.effectiveCores) >= GROWTH_THRESHOLD) {
    return {
      verdict: 'elsewhere',
      stopsAt: k,
      effectiveCores: cores(row),
      sentence: `Throughput stops growing after ${replicas(k)}, though the cores left for the replicas (${cores(row)}) could take more; the model's limit at ${replicas(next.replicas)}: ${next.model.limit}.`,
    };
  }
  const p99Rises = growth(row.latencyMs.p99, last.latencyMs.p99) > GROWTH_THRESHOLD;
  const grows =
    k === first.replicas ? `does not grow beyond ${replicas(k)}` : `grows with replicas up to ${k}`;
  return {
    verdict: 'cores',
    stopsAt: k,
    effectiveCores: cores(row),
    sentence: `Throughput ${grows} (the cores left for the replicas: ${cores(row)}); more replicas add no capacity${p99Rises ? ' and raise p99 latency' : ''}.`,
  };
}

function loadOptions(options: Options): LoadOptions {
  return Object.fromEntries(LOAD_KEYS.map((key) => [key, options[key]])) as LoadOptions;
}

/** The sweep of a list of runs, in any order. Pure; throws a RangeError for an empty list. */
export function sweepResult(results: readonly BenchResult[]): SweepResult {
  const [first] = results;
  if (first === undefined) throw new RangeError('a sweep needs at least one run');
  const ordered = results
    .map(toRow)
    .map((row, index) => ({ row, index }))
    .sort((a, b) => a.row.replicas - b.row.replicas || a.index - b.index)
    .map(({ row }) => row);
  const base = ordered.find((row) => row.replicas === 1);
  const rows = ordered.map((row) => ({
    ...row,
    speedUp: base && base.throughputRps > 0 ? round(row.throughputRps / base.throughputRps, 3) : null,
  }));
  const options = loadOptions(first.options);
  const mixedOptions = LOAD_KEYS.filter((key) =>
    results.some((result) => result.options[key] !== options[key]),
  ).map(flagOf);
  // ISO times in UTC sort as text.
  const starts = results.map((result) => result.startedAt).sort();
  const ends = results.map((result) => result.finishedAt).sort();
  return {
    startedAt: starts[0] as string,
    finishedAt: ends.at(-1) as string,
    options,
    mixedOptions,
    rows,
    scaling: scalingOf(ordered),
  };
}
