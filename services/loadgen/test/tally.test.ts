import { describe, expect, it } from 'vitest';
import {
  headerValue,
  type Identity,
  NO_HEADER,
  parseWorkMs,
  readIdentity,
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

describe('parseWorkMs', () => {
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
  ])('%j -> %s', (header, expected) => {
    expect(parseWorkMs(header)).toBe(expected);
  });
});

describe('readIdentity', () => {
  it.each<[string[], Identity]>([
    [
      ['x-hostname', 'web-1', 'x-version', '2', 'server-timing', 'work;dur=6.5'],
      { hostname: 'web-1', version: '2', workMs: 6.5 },
    ],
    // a proxy's own error page names no replica
    [['content-type', 'text/html'], { hostname: NO_HEADER, version: NO_HEADER, workMs: undefined }],
    [['x-hostname', '  ', 'x-version', ''], { hostname: NO_HEADER, version: NO_HEADER, workMs: undefined }],
  ])('%j', (raw, expected) => {
    expect(readIdentity(raw)).toEqual(expected);
  });
});

const answer = (hostname: string, version: string, workMs: number | undefined, latencyMs: number) => ({
  identity: { hostname, version, workMs },
  latencyMs,
});

describe('tallyResponses', () => {
  it.each([
    {
      name: 'no answers',
      answers: [],
      expected: {
        responses: 0,
        hostnames: {},
        versions: {},
        workMs: { mean: null, count: 0 },
        latencyMeanMs: null,
      },
    },
    {
      name: 'three replicas, two versions, one answer without headers',
      answers: [
        answer('b', '1', 4, 10),
        answer('a', '1', 6, 20),
        answer('b', '2', 5, 30),
        answer('c', '2', 7, 40),
        answer('b', '2', 8, 50),
        answer(NO_HEADER, NO_HEADER, undefined, 6),
      ],
      expected: {
        responses: 6,
        hostnames: { b: 3, '(none)': 1, a: 1, c: 1 },
        versions: { '2': 3, '1': 2, '(none)': 1 },
        workMs: { mean: 6, count: 5 },
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
