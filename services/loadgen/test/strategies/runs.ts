// The runs the comparison's tests set side by side: the one fixture result, as each strategy's run.
import type { ReplicaFigures } from '../../src/replicas.js';
import type { BenchResult } from '../../src/result.js';
import type { StrategyRun } from '../../src/strategies/comparison.js';
import type { StrategyKey } from '../../src/strategies/strategies.js';
import { loadFixture } from '../fixture.js';

export const SLOW = 'slow0replica';

/** What varies between the strategies' runs; the rest of each run is the fixture's. */
export interface StrategyRunSpec {
  strategy: StrategyKey;
  throughputRps: number;
  p99Ms: number;
  /** Answers by hostname: they are the run's answers, all 200. */
  answers: Record<string, number>;
}

/** The fixture as one strategy's run, each starting a minute after the one before it. */
export function strategyRun(spec: StrategyRunSpec, index = 0): StrategyRun {
  const fixture = loadFixture();
  const total = Object.values(spec.answers).reduce((sum, count) => sum + count, 0);
  const replicas: ReplicaFigures[] = Object.entries(spec.answers).map(([hostname, answers]) => ({
    hostname,
    answers,
    share: Math.round((answers / total) * 10_000) / 10_000,
    non2xx: 0,
    statusCodes: { 200: answers },
    latencyMs: { p50: spec.p99Ms / 4, p99: spec.p99Ms, max: spec.p99Ms * 2 },
    sentLatencyMs: null,
  }));
  const shift = (time: string) => new Date(Date.parse(time) + index * 60_000).toISOString();
  const result: BenchResult = {
    ...fixture,
    startedAt: shift(fixture.startedAt),
    finishedAt: shift(fixture.finishedAt),
    throughputRps: spec.throughputRps,
    latencyMs: { ...fixture.latencyMs, p50: spec.p99Ms / 4, p99: spec.p99Ms },
    requests: { ...fixture.requests, total, ok: total, non2xx: 0, errors: 0, timeouts: 0 },
    hostnames: spec.answers,
    replicas,
  };
  return { strategy: spec.strategy, result };
}

/** A comparison as make strategies measured it here: least_conn and random two route around SLOW. */
export const MEASURED: StrategyRunSpec[] = [
  { strategy: 'round-robin', throughputRps: 266.1, p99Ms: 228, answers: { [SLOW]: 352, b: 359, c: 360 } },
  { strategy: 'least-conn', throughputRps: 325.1, p99Ms: 102, answers: { [SLOW]: 261, b: 552, c: 493 } },
  { strategy: 'random-two', throughputRps: 280.8, p99Ms: 158, answers: { [SLOW]: 233, b: 405, c: 492 } },
  { strategy: 'client-hash', throughputRps: 103, p99Ms: 306, answers: { [SLOW]: 414 } },
  { strategy: 'per-connection', throughputRps: 324.9, p99Ms: 149, answers: { c: 580, [SLOW]: 233, b: 496 } },
];

export const measuredRuns = () => MEASURED.map((spec, i) => strategyRun(spec, i));
