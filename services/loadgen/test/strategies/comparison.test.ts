import { describe, expect, it } from 'vitest';
import { compareStrategies } from '../../src/strategies/comparison.js';
import { STRATEGIES } from '../../src/strategies/strategies.js';
import { loadFixture } from '../fixture.js';
import { MEASURED, measuredRuns, SLOW, type StrategyRunSpec, strategyRun } from './runs.js';

const options = loadFixture().options;
const slow = { hostname: SLOW, factor: 2 };

describe('compareStrategies: the rows', () => {
  const comparison = compareStrategies(measuredRuns(), options, slow);

  it('has one row per strategy, in the order they ran, with its nginx directive and port', () => {
    expect(comparison.rows.map((row) => [row.strategy, row.directive, row.port])).toEqual(
      STRATEGIES.map((strategy) => [strategy.key, strategy.directive, strategy.port]),
    );
  });

  it('lists every replica in every row, the slow one first, with 0 where a strategy sent none', () => {
    expect(comparison.replicas).toEqual([SLOW, 'b', 'c']);
    const sticky = comparison.rows.find((row) => row.strategy === 'client-hash');
    expect(sticky?.replicas).toEqual([
      { hostname: SLOW, answers: 414, share: 1, p99Ms: 306 },
      { hostname: 'b', answers: 0, share: 0, p99Ms: null },
      { hostname: 'c', answers: 0, share: 0, p99Ms: null },
    ]);
  });

  it.each(MEASURED.map((spec) => spec.strategy))("adds the replicas' answers up to the %s row's", (key) => {
    const row = comparison.rows.find((candidate) => candidate.strategy === key);
    expect(row?.replicas.reduce((sum, replica) => sum + replica.answers, 0)).toBe(row?.answers);
    expect(row?.replicas.reduce((sum, replica) => sum + replica.share, 0)).toBeCloseTo(1, 3);
  });

  it("keeps the proxy's own answers, which name no replica, as a column of their own, last", () => {
    const runs = [
      strategyRun({ ...(MEASURED[0] as StrategyRunSpec), answers: { '(none)': 4, [SLOW]: 10, b: 11 } }),
    ];
    expect(compareStrategies(runs, options, slow).replicas).toEqual([SLOW, 'b', '(none)']);
  });

  it('spans the comparison from the first start to the last end', () => {
    expect(comparison.startedAt).toBe(comparison.rows[0]?.startedAt);
    expect(comparison.finishedAt).toBe(comparison.rows.at(-1)?.finishedAt);
  });
});

describe('compareStrategies: the verdict', () => {
  it('names the fastest strategy, why it wins, and what round robin and per connection gave the slow replica', () => {
    const { verdict } = compareStrategies(measuredRuns(), options, slow);
    expect(verdict.fastest).toBe('least-conn');
    expect(verdict.lowestP99).toBe('least-conn');
    expect(verdict.sentence).toBe(
      'Here least_conn wins with the highest throughput (325.1 req/s) and the lowest p99 (102 ms), because it sends each request to the replica with the fewest in flight, and the slow replica, which holds its requests longer, gets fewer. Round robin gave the slow replica 32.9% of the answers, its turn whatever its speed, and per-connection balancing 17.8%, what the connections pinned to it could carry.',
    );
  });

  it('names the lowest p99 apart when another strategy has it', () => {
    const specs = MEASURED.map((spec) => (spec.strategy === 'random-two' ? { ...spec, p99Ms: 90 } : spec));
    const { verdict } = compareStrategies(
      specs.map((spec, i) => strategyRun(spec, i)),
      options,
      slow,
    );
    expect(verdict.lowestP99).toBe('random-two');
    expect(verdict.sentence).toContain(
      'the highest throughput (325.1 req/s), because it sends each request to the replica with the fewest in flight, and the slow replica, which holds its requests longer, gets fewer; random two least_conn had the lowest p99 (90 ms). Round robin',
    );
  });

  it('puts a hash that wins down to where it fell, not to a choice by load', () => {
    const specs = MEASURED.map((spec) =>
      spec.strategy === 'per-connection' ? { ...spec, throughputRps: 390.3 } : spec,
    );
    const { verdict } = compareStrategies(
      specs.map((spec, i) => strategyRun(spec, i)),
      options,
      slow,
    );
    expect(verdict.fastest).toBe('per-connection');
    expect(verdict.sentence).toContain(
      'Here per connection (kube-proxy) wins with the highest throughput (390.3 req/s), because its hash happened to leave the slow replica 17.8% of the answers: where the connections fell, not a choice by load; least_conn had the lowest p99 (102 ms).',
    );
  });

  it('gives a tie to the strategy that ran first', () => {
    const specs = MEASURED.map((spec) => ({ ...spec, throughputRps: 300, p99Ms: 100 }));
    const { verdict } = compareStrategies(
      specs.map((spec, i) => strategyRun(spec, i)),
      options,
      slow,
    );
    expect(verdict).toMatchObject({ fastest: 'round-robin', lowestP99: 'round-robin' });
  });

  it('says nothing of a slow replica when none was made slow', () => {
    const { verdict, replicas } = compareStrategies(measuredRuns(), options, null);
    expect(replicas).toEqual(['b', 'c', SLOW]);
    expect(verdict.sentence).not.toContain('Round robin gave');
  });

  it('refuses an empty comparison', () => {
    expect(() => compareStrategies([], options, slow)).toThrow(RangeError);
  });
});
