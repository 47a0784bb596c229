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
  const web = (hostname: string, version: string, node = NO_HEADER) => ({
    hostname,
    version,
    node,
    workMs: 1,
    cpuMs: 0.5,
  });

  const quiet = (second: number) => ({
    second,
    requests: 0,
    non2xx: 0,
    errors: 0,
    p99Ms: null,
    hostnames: {},
    versions: {},
    nodes: {},
  });

  it('counts each second, keeps quiet seconds, and closes at the end of the window', () => {
    const timeline = new Timeline(1000);
    timeline.addResponse(1100, 200, web('a', '1'), 10);
    timeline.addResponse(1900, 200, web('b', '1'), 30);
    timeline.addError(1950);
    // nothing in the second from 2000 to 3000
    timeline.addResponse(3000, 200, web('a', '2'), 5);
    timeline.addResponse(
      3500,
      502,
      { hostname: NO_HEADER, version: NO_HEADER, node: NO_HEADER, workMs: undefined, cpuMs: undefined },
      2,
    );
    expect(timeline.finish(4800)).toEqual([
      {
        second: 0,
        requests: 3,
        non2xx: 0,
        errors: 1,
        p99Ms: 30,
        hostnames: { a: 1, b: 1 },
        versions: { '1': 2 },
        nodes: { [NO_HEADER]: 2 },
      },
      quiet(1),
      {
        second: 2,
        requests: 2,
        non2xx: 1,
        errors: 0,
        p99Ms: 5,
        hostnames: { a: 1, [NO_HEADER]: 1 },
        versions: { '2': 1, [NO_HEADER]: 1 },
        nodes: { [NO_HEADER]: 2 },
      },
      quiet(3),
    ]);
  });

  it.each<[number, number]>([
    [200, 0],
    [204, 0],
    [299, 0],
    [101, 1],
    [301, 1],
    [404, 1],
    [500, 1],
    [502, 1],
    [503, 1],
  ])('counts status %i as %i non-2xx, as autocannon does', (status, non2xx) => {
    const timeline = new Timeline(0);
    timeline.addResponse(10, status, web('a', '1'), 1);
    expect(timeline.finish(1000)[0]).toMatchObject({ requests: 1, non2xx, errors: 0 });
  });

  it('counts a request without an answer as a request and an error, not by hostname', () => {
    const timeline = new Timeline(0);
    timeline.addError(10);
    timeline.addError(20);
    expect(timeline.finish(1000)).toEqual([{ ...quiet(0), requests: 2, errors: 2 }]);
  });

  it('counts each second by node, as a drain moves the answers off one', () => {
    const timeline = new Timeline(0);
    timeline.addResponse(100, 200, web('node-1-1', '1', 'node-1'), 1);
    timeline.addResponse(200, 200, web('node-2-1', '1', 'node-2'), 1);
    timeline.addResponse(1100, 200, web('node-1-2', '1', 'node-1'), 1);
    expect(timeline.finish(2000).map((second) => second.nodes)).toEqual([
      { 'node-1': 1, 'node-2': 1 },
      { 'node-1': 1 },
    ]);
  });

  it('gives the p99 of each second from its own answers only', () => {
    const timeline = new Timeline(0);
    for (let i = 1; i <= 200; i++) timeline.addResponse(500, 200, web('a', '1'), i);
    timeline.addResponse(1500, 200, web('a', '1'), 1);
    const [first, second] = timeline.finish(2000);
    expect(first?.p99Ms).toBe(198);
    expect(second?.p99Ms).toBe(1);
  });
});
