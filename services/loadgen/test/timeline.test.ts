import { describe, expect, it } from 'vitest';
import { NO_HEADER } from '../src/tally.js';
import { percentileOfSorted, Timeline } from '../src/timeline.js';

describe('percentileOfSorted', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
  it.each<[number[], number, number | null]>([
    [[], 99, null],
    [[7], 99, 7],
    [[7], 0, 7],
    [hundred, 50, 50],
    [hundred, 99, 99],
    [hundred, 100, 100],
    [[1, 2, 3, 4], 99, 4],
    [[1, 2, 3, 4], 50, 2],
  ])('%j at p%d -> %s', (sorted, percent, expected) => {
    expect(percentileOfSorted(sorted, percent)).toBe(expected);
  });
});

describe('Timeline', () => {
  const web = (hostname: string, version: string) => ({ hostname, version, workMs: 1, cpuMs: 0.5 });

  it('counts each second, keeps quiet seconds, and closes at the end of the window', () => {
    const timeline = new Timeline(1000);
    timeline.addResponse(1100, web('a', '1'), 10);
    timeline.addResponse(1900, web('b', '1'), 30);
    timeline.addError(1950);
    // nothing in the second from 2000 to 3000
    timeline.addResponse(3000, web('a', '2'), 5);
    timeline.addResponse(
      3500,
      { hostname: NO_HEADER, version: NO_HEADER, workMs: undefined, cpuMs: undefined },
      2,
    );
    expect(timeline.finish(4800)).toEqual([
      { second: 0, responses: 2, errors: 1, p99Ms: 30, hostnames: { a: 1, b: 1 }, versions: { '1': 2 } },
      { second: 1, responses: 0, errors: 0, p99Ms: null, hostnames: {}, versions: {} },
      {
        second: 2,
        responses: 2,
        errors: 0,
        p99Ms: 5,
        hostnames: { a: 1, [NO_HEADER]: 1 },
        versions: { '2': 1, [NO_HEADER]: 1 },
      },
      { second: 3, responses: 0, errors: 0, p99Ms: null, hostnames: {}, versions: {} },
    ]);
  });

  it('gives the p99 of each second from its own answers only', () => {
    const timeline = new Timeline(0);
    for (let i = 1; i <= 200; i++) timeline.addResponse(500, web('a', '1'), i);
    timeline.addResponse(1500, web('a', '1'), 1);
    const [first, second] = timeline.finish(2000);
    expect(first?.p99Ms).toBe(198);
    expect(second?.p99Ms).toBe(1);
  });
});
