// The strategies side by side: each run's throughput, latency and replica shares, over the same
// replicas, and one sentence on which strategy wins and why.
import { percent, rps } from '../format.js';
import type { Options } from '../options.js';
import type { BenchResult } from '../result.js';
import { NO_HEADER } from '../tally.js';
import { STRATEGIES, type StrategyKey } from './strategies.js';

/** One replica's part of one strategy's answers. */
export interface ReplicaShare {
  hostname: string;
  /** Its answers, whatever their status: the answers of a row's replicas add up to the row's. */
  answers: number;
  /** answers / the row's answers, to 4 decimals; 0 for a replica that got none. */
  share: number;
  /** Its own p99; null for a replica that got no answer under this strategy. */
  p99Ms: number | null;
}

export interface StrategyRow {
  strategy: StrategyKey;
  name: string;
  directive: string;
  port: number;
  throughputRps: number;
  latencyMs: { p50: number; p99: number };
  /** Every answer of the run, whatever its status. */
  answers: number;
  /** Answers outside 2xx and requests without an answer. */
  errors: number;
  /** Every replica of the comparison, in its order, with what it got under this strategy. */
  replicas: ReplicaShare[];
  startedAt: string;
  finishedAt: string;
}

/** The replica made slow for the whole comparison, and how much slower. */
export interface SlowReplica {
  hostname: string;
  /** Its busy loop runs this many times over: 2 is half speed. */
  factor: number;
}

export interface StrategiesResult {
  startedAt: string;
  finishedAt: string;
  label: string | null;
  /** The load each strategy was given; the url is the proxy's, each strategy on its own port. */
  options: Options;
  slowReplica: SlowReplica | null;
  /** Every replica that answered under any strategy, the slow one first, then by name. */
  replicas: string[];
  /** One per strategy, in the order they ran. */
  rows: StrategyRow[];
  verdict: { fastest: StrategyKey; lowestP99: StrategyKey; sentence: string };
}

export interface StrategyRun {
  strategy: StrategyKey;
  result: BenchResult;
}

function strategyOf(key: StrategyKey): (typeof STRATEGIES)[number] {
  const strategy = STRATEGIES.find((candidate) => candidate.key === key);
  if (strategy === undefined) throw new RangeError(`no strategy "${key}"`);
  return strategy;
}

/** The slow replica first, named replicas by name, answers without a replica's name last. */
function replicaOrder(runs: readonly StrategyRun[], slow: SlowReplica | null): string[] {
  const seen = new Set(runs.flatMap(({ result }) => result.replicas.map((replica) => replica.hostname)));
  if (slow) seen.add(slow.hostname);
  const rank = (name: string) => (name === slow?.hostname ? 0 : name === NO_HEADER ? 2 : 1);
  return [...seen].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

function toRow({ strategy, result }: StrategyRun, replicas: readonly string[]): StrategyRow {
  const { key, name, directive, port } = strategyOf(strategy);
  const byName = new Map(result.replicas.map((replica) => [replica.hostname, replica]));
  return {
    strategy: key,
    name,
    directive,
    port,
    throughputRps: result.throughputRps,
    latencyMs: { p50: result.latencyMs.p50, p99: result.latencyMs.p99 },
    answers: result.requests.total,
    errors: result.requests.non2xx + result.requests.errors,
    replicas: replicas.map((hostname) => {
      const figures = byName.get(hostname);
      return figures === undefined
        ? { hostname, answers: 0, share: 0, p99Ms: null }
        : { hostname, answers: figures.answers, share: figures.share, p99Ms: figures.latencyMs.p99 };
    }),
    startedAt: result.startedAt,
    finishedAt: result.finishedAt,
  };
}

/** The first row with the best value: ties go to the strategy that runs first. */
function best(
  rows: readonly StrategyRow[],
  better: (a: StrategyRow, b: StrategyRow) => boolean,
): StrategyRow {
  const [first, ...rest] = rows;
  if (first === undefined) throw new RangeError('a comparison needs at least one strategy');
  return rest.reduce((top, row) => (better(row, top) ? row : top), first);
}

/**
 * Which strategy wins and why, from the figures: the one with the highest throughput, the reason
 * its method gives, and the shares that round robin and per-connection balancing gave the slow
 * replica: its turn, and the connections pinned to it, whatever its speed.
 */
function verdictOf(rows: readonly StrategyRow[], slow: SlowReplica | null): StrategiesResult['verdict'] {
  const fastest = best(rows, (a, b) => a.throughputRps > b.throughputRps);
  const lowest = best(rows, (a, b) => a.latencyMs.p99 < b.latencyMs.p99);
  const slowShare = (row: StrategyRow | undefined) => {
    const replica = row?.replicas.find((candidate) => candidate.hostname === slow?.hostname);
    return row && replica ? percent(replica.answers, row.answers) : null;
  };
  const because =
    strategyOf(fastest.strategy).because ??
    (slow
      ? `its hash happened to leave the slow replica ${slowShare(fastest)} of the answers: where the connections fell, not a choice by load`
      : 'of where its hash happened to put the connections, not of a choice by load');
  const p99 = `${lowest.latencyMs.p99} ms`;
  const throughput = `the highest throughput (${rps(fastest.throughputRps)})`;
  const win =
    lowest === fastest
      ? `Here ${fastest.name} wins with ${throughput} and the lowest p99 (${p99}), because ${because}.`
      : `Here ${fastest.name} wins with ${throughput}, because ${because}; ${lowest.name} had the lowest p99 (${p99}).`;
  const row = (key: StrategyKey) => rows.find((candidate) => candidate.strategy === key);
  const roundRobin = slowShare(row('round-robin'));
  const perConnection = slowShare(row('per-connection'));
  const regardless =
    roundRobin !== null && perConnection !== null
      ? ` Round robin gave the slow replica ${roundRobin} of the answers, its turn whatever its speed, and per-connection balancing ${perConnection}, what the connections pinned to it could carry.`
      : '';
  return { fastest: fastest.strategy, lowestP99: lowest.strategy, sentence: `${win}${regardless}` };
}

/** The comparison of one run per strategy. Pure; throws a RangeError for no runs. */
export function compareStrategies(
  runs: readonly StrategyRun[],
  options: Options,
  slowReplica: SlowReplica | null,
): StrategiesResult {
  if (runs.length === 0) throw new RangeError('a comparison needs at least one strategy');
  const replicas = replicaOrder(runs, slowReplica);
  const rows = runs.map((run) => toRow(run, replicas));
  // ISO times in UTC sort as text.
  const starts = rows.map((row) => row.startedAt).sort();
  const ends = rows.map((row) => row.finishedAt).sort();
  return {
    startedAt: starts[0] as string,
    finishedAt: ends.at(-1) as string,
    label: options.label,
    options,
    slowReplica,
    replicas,
    rows,
    verdict: verdictOf(rows, slowReplica),
  };
}

/** A replica's share as the reports print it, with its answers: "33.3% (412)". */
export function shareText(replica: ReplicaShare, row: Pick<StrategyRow, 'answers'>): string {
  return `${percent(replica.answers, row.answers)} (${replica.answers})`;
}
