import { describe, expect, it } from 'vitest';
import {
  compareBenches,
  liveViewSection,
  machineShare,
  nginxAdded,
  spread,
} from '../src/figures/live-view.js';
import type { LiveViewBenchRun, LiveViewCpuRun } from '../src/measurements.js';
import { MEASUREMENTS } from './fixture.js';

/** Benches in the order run, A B A B: without, with, without, with ... */
const alternated = (without: number[], withQueries: number[]): LiveViewBenchRun[] =>
  without.flatMap((rps, i) => [
    { withQueries: false, replicas: 5, rps, errors: 0, requests: 0, failed: 0 },
    { withQueries: true, replicas: 5, rps: withQueries[i] as number, errors: 0, requests: 50, failed: 0 },
  ]);

describe('machineShare', () => {
  it.each([
    [0.02, 2, 1],
    [0.5, 2, 25],
    [1, 4, 25],
  ])('%d cores of %d is %d %%', (cores, machine, share) => {
    expect(machineShare(cores, machine)).toBeCloseTo(share, 9);
  });
});

describe('nginxAdded', () => {
  const run = (idle: number, busy: number): LiveViewCpuRun => ({
    first: 'scrapes',
    replicas: 5,
    scrapes: { prometheusCores: 0.01, nginxCores: idle, requests: 0, failed: 0 },
    queries: { prometheusCores: 0.03, nginxCores: busy, requests: 50, failed: 0 },
  });
  it.each([
    [0.001, 0.004, 0.003],
    [0.002, 0.002, 0],
    // An idle phase that happened to cost more (a health check) adds nothing, not less than nothing.
    [0.003, 0.001, 0],
  ])('idle %d, with the queries %d: %d added', (idle, busy, added) => {
    expect(nginxAdded(run(idle, busy))).toBeCloseTo(added, 9);
  });
});

describe('spread', () => {
  it.each<[number[], number]>([
    [[400, 410, 405], (10 / 405) * 100],
    [[300, 300], 0],
  ])('of %j is %d %%', (values, expected) => {
    expect(spread(values)).toBeCloseTo(expected, 9);
  });

  it.each([[[]], [[0, 0, 0]]])('of %j is not a number', (values) => {
    expect(spread(values)).toBeNaN();
  });
});

describe('compareBenches', () => {
  it('pairs each bench with the one after it and puts the difference beside the spread', () => {
    const compared = compareBenches(alternated([400, 410, 405], [398, 404, 407]));
    expect(compared.without).toEqual([400, 410, 405]);
    expect(compared.with).toEqual([398, 404, 407]);
    expect(compared.ratios.map((r) => r.toFixed(4))).toEqual(['0.9950', '0.9854', '1.0049']);
    expect(compared.differencePercent).toBeCloseTo((404 / 405 - 1) * 100, 9);
    expect(compared.spreadWithout).toBeCloseTo((10 / 405) * 100, 9);
    expect(compared.spreadWith).toBeCloseTo((9 / 404) * 100, 9);
    expect(compared.withinNoise).toBe(true);
  });

  it('says when the queries moved the bench by more than its repeats move on their own', () => {
    const compared = compareBenches(alternated([400, 401, 402], [360, 361, 362]));
    expect(compared.differencePercent).toBeCloseTo(-10, 0);
    expect(compared.withinNoise).toBe(false);
  });
});

describe('liveViewSection', () => {
  const section = liveViewSection(MEASUREMENTS);

  it('says what the page asked and that the browser is not in the figures', () => {
    expect(section.notes[0]).toMatch(/^Item 10: the page’s queries are the live page’s five range queries/);
    expect(section.notes[0]).toMatch(/150 sent in the CPU runs, 0 of them/);
    expect(section.notes[0]).toMatch(/browser’s own CPU is not in these figures/);
  });

  it('puts the bench’s difference beside the spread of its repeats', () => {
    expect(section.notes[1]).toBe(
      'Item 10, the bench: with the page’s queries the median moved by -0.25 %, beside a spread of the ' +
        'repeats (max − min over the median) of 2.47 % without and 2.23 % with: within the noise.',
    );
  });

  it('gives the share of the machine of Prometheus and the page together, with the issue’s budget', () => {
    const share = section.figures.find((figure) => figure.id === 'live-view-share');
    expect(share?.unit).toBe('%');
    expect(share?.target).toEqual({ comparison: 'under', value: 3 });
    expect(share?.samples).toEqual([1.9, 2.15, 1.9]);
  });

  it('is empty when the live view was not measured', () => {
    expect(liveViewSection({ ...MEASUREMENTS, liveViewCpu: [], liveViewBench: [] })).toEqual({
      figures: [],
      notes: [],
    });
  });
});
