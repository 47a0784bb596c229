import { describe, expect, it } from 'vitest';
import {
  headerValue,
  type Identity,
  IdentityReader,
  NO_HEADER,
  parseTimingMs,
  replicasSeen,
  sortedCounts,
  tallyResponses,
} from '../src/tally.js';

describe('headerValue', () => {
  const raw = ['X-Hostname', 'web-1', 'x-version', '2', 'x-hostname', 'web-2', 'Server-Timing', 'work;dur=1'];

  it.each([
    ['x-hostname', 'web-1'],
    ['X-HOSTNAME', 'web-1'],
    ['X-Version', '2'],
    ['server-timing', 'work;dur=1'],
    ['x-missing', undefined],
  ])('%s -> %s', (name, expected) => {
    expect(headerValue(raw, name)).toBe(expected);
  });
});

describe('parseTimingMs', () => {
  it.each<[string | undefined, number | undefined]>([
    ['work;dur=5.123', 5.123],
    ['work;dur=0', 0],
    ['work;desc="busy loop";dur=7.5', 7.5],
    ['db;dur=2, work;dur=3.25', 3.25],
    [' work ; dur=4 ', 4],
    ['worker;dur=9', undefined],
    ['work', undefined],
    ['work;dur=-1', undefined],
    ['work;dur=abc', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('work in %j -> %s', (header, expected) => {
    expect(parseTimingMs(header, 'work')).toBe(expected);
  });

  // Both metrics from one header, as hello sends them, in either order or with one missing.
  it.each<[string | undefined, { work: number | undefined; cpu: number | undefined }]>([
    ['work;dur=5.1, cpu;dur=4.9', { work: 5.1, cpu: 4.9 }],
    ['cpu;dur=4.9, work;dur=5.1', { work: 5.1, cpu: 4.9 }],
    ['work;dur=5.1,cpu;dur=4.9', { work: 5.1, cpu: 4.9 }],
    ['work;dur=0, cpu;dur=0', { work: 0, cpu: 0 }],
    ['work;dur=5.1', { work: 5.1, cpu: undefined }],
    ['cpu;dur=4.9', { work: undefined, cpu: 4.9 }],
    ['work;dur=5.1, cpu', { work: 5.1, cpu: undefined }],
    ['work;dur=5.1, cpu;dur=', { work: 5.1, cpu: undefined }],
    ['work;dur=5.1, cpu;dur=fast', { work: 5.1, cpu: undefined }],
    ['work;dur=5.1, cpuish;dur=4.9', { work: 5.1, cpu: undefined }],
    ['work=5.1; cpu=4.9', { work: undefined, cpu: undefined }],
    [';;,,', { work: undefined, cpu: undefined }],
    [undefined, { work: undefined, cpu: undefined }],
  ])('%j -> %j', (header, expected) => {
    expect({ work: parseTimingMs(header, 'work'), cpu: parseTimingMs(header, 'cpu') }).toEqual(expected);
  });
});

describe('IdentityReader', () => {
  it.each<[string[], Identity]>([
    [
      ['x-hostname', 'web-1', 'x-version', '2', 'server-timing', 'work;dur=6.5, cpu;dur=4.25'],
      { hostname: 'web-1', version: '2', node: NO_HEADER, workMs: 6.5, cpuMs: 4.25 },
    ],
    // on a cluster, the node the replica runs on
    [
      ['X-Hostname', 'lab-node-2-1', 'X-Version', '1', 'X-Node', ' lab-node-2 '],
      { hostname: 'lab-node-2-1', version: '1', node: 'lab-node-2', workMs: undefined, cpuMs: undefined },
    ],
    // an older hello times the loop by the wall clock only
    [
      ['x-hostname', 'web-1', 'x-version', '1', 'server-timing', 'work;dur=6.5'],
      { hostname: 'web-1', version: '1', node: NO_HEADER, workMs: 6.5, cpuMs: undefined },
    ],
    // a proxy's own error page names no replica
    [
      ['content-type', 'text/html'],
      { hostname: NO_HEADER, version: NO_HEADER, node: NO_HEADER, workMs: undefined, cpuMs: undefined },
    ],
    [
      ['x-hostname', '  ', 'x-version', ''],
      { hostname: NO_HEADER, version: NO_HEADER, node: NO_HEADER, workMs: undefined, cpuMs: undefined },
    ],
  ])('%j', (raw, expected) => {
    expect(new IdentityReader().read(raw)).toEqual(expected);
  });

  it('reads each answer for itself when answers alternate, repeat or lack the timing', () => {
    const raws = [
      ['x-hostname', 'web-1', 'server-timing', 'work;dur=0, cpu;dur=0'],
      ['x-hostname', 'web-2', 'server-timing', 'work;dur=0, cpu;dur=0'],
      ['x-hostname', 'web-1', 'server-timing', 'work;dur=7.5, cpu;dur=7.25'],
      ['x-hostname', 'web-2'],
      ['x-hostname', 'web-1', 'server-timing', 'work;dur=7.5, cpu;dur=7.25'],
    ];
    const reader = new IdentityReader();
    expect(raws.map((raw) => reader.read(raw))).toEqual([
      { hostname: 'web-1', version: NO_HEADER, node: NO_HEADER, workMs: 0, cpuMs: 0 },
      { hostname: 'web-2', version: NO_HEADER, node: NO_HEADER, workMs: 0, cpuMs: 0 },
      { hostname: 'web-1', version: NO_HEADER, node: NO_HEADER, workMs: 7.5, cpuMs: 7.25 },
      { hostname: 'web-2', version: NO_HEADER, node: NO_HEADER, workMs: undefined, cpuMs: undefined },
      { hostname: 'web-1', version: NO_HEADER, node: NO_HEADER, workMs: 7.5, cpuMs: 7.25 },
    ]);
  });
});

const answer = (
  hostname: string,
  version: string,
  workMs: number | undefined,
  cpuMs: number | undefined,
  latencyMs: number,
  node = NO_HEADER,
) => ({ identity: { hostname, version, node, workMs, cpuMs }, latencyMs });

describe('tallyResponses', () => {
  it.each([
    {
      name: 'no answers',
      answers: [],
      expected: {
        responses: 0,
        hostnames: {},
        versions: {},
        nodes: {},
        workMs: { mean: null, count: 0 },
        cpuMs: { mean: null, count: 0 },
        latencyMeanMs: null,
      },
    },
    {
      name: 'three replicas, two versions, one without cpu time, one answer without headers',
      answers: [
        answer('b', '1', 4, undefined, 10, 'n1'),
        answer('a', '1', 6, 3, 20, 'n2'),
        answer('b', '2', 5, 2, 30, 'n1'),
        answer('c', '2', 7, 4, 40, 'n2'),
        answer('b', '2', 8, 3, 50, 'n1'),
        answer(NO_HEADER, NO_HEADER, undefined, undefined, 6),
      ],
      expected: {
        responses: 6,
        hostnames: { b: 3, '(none)': 1, a: 1, c: 1 },
        versions: { '2': 3, '1': 2, '(none)': 1 },
        nodes: { n1: 3, n2: 2, '(none)': 1 },
        workMs: { mean: 6, count: 5 },
        cpuMs: { mean: 3, count: 4 },
        latencyMeanMs: 26,
      },
    },
  ])('$name', ({ answers, expected }) => {
    const summary = tallyResponses(answers);
    expect(summary).toEqual(expected);
    // The counts add up: every answer is counted once by hostname and once by version.
    const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
    expect(sum(summary.hostnames)).toBe(answers.length);
    expect(sum(summary.versions)).toBe(answers.length);
  });
});

describe('sortedCounts and replicasSeen', () => {
  it('orders by count, then by name', () => {
    expect(Object.entries(sortedCounts({ b: 2, c: 5, a: 2 }))).toEqual([
      ['c', 5],
      ['a', 2],
      ['b', 2],
    ]);
  });

  it.each([
    [{}, 0],
    [{ [NO_HEADER]: 4 }, 0],
    [{ a: 1, b: 2, [NO_HEADER]: 3 }, 2],
  ])('%j has %i replicas', (hostnames, expected) => {
    expect(replicasSeen(hostnames)).toBe(expected);
  });
});
