import { describe, expect, it } from 'vitest';
import { renderPage } from '../../hello/src/page.js';
import { type Line, linesOf, replicaColour, versionShares } from '../src/lines.js';
import { recordedSeries } from './fixture.js';

describe('linesOf', () => {
  it('answers: a line per replica, named by its hostname, in the order of their names', () => {
    const lines = linesOf('answers', recordedSeries('answers'));
    expect(lines.map((line) => line.label)).toEqual([
      '287d6f92d1e9',
      '714457a94e8a',
      'a9fc1d7e0ee9',
      'c89880f786bf',
      'd158b9dbb489',
      'e627e5516d1e',
    ]);
    for (const line of lines) expect(line.colour).toBe(replicaColour(line.label));
  });

  it("a replica's colour is the background of its greeting page", () => {
    for (const hostname of ['287d6f92d1e9', 'e627e5516d1e']) {
      const { html } = renderPage({ greeting: 'Hello', hostname, version: '1', workMs: 1 });
      const hue = /:root\{--hue:(\d+)\}/.exec(html)?.[1];
      expect(html).toContain('background:hsl(var(--hue) 62% 26%)');
      expect(replicaColour(hostname)).toBe(`hsl(${hue} 62% 26%)`);
    }
    expect(replicaColour('287d6f92d1e9')).not.toBe(replicaColour('e627e5516d1e'));
  });

  it('nodes: a line per node of a cluster, in the order of their names, coloured as a hostname', () => {
    const series = (node: string, points: [number, number][]) => ({ labels: { node }, points });
    const lines = linesOf('nodes', [
      series('lab-node-2', [[2, 4]]),
      series('lab-node-10', [[1, 1]]),
      series('lab-node-1', [[1, 3]]),
      series('lab-node-2', [[1, 5]]),
    ]);
    expect(lines.map((line) => line.label)).toEqual(['lab-node-1', 'lab-node-2', 'lab-node-10']);
    expect(lines[1]?.points).toEqual([
      [1, 5],
      [2, 4],
    ]);
    for (const line of lines) expect(line.colour).toBe(replicaColour(line.label));
    expect(linesOf('nodes', [])).toEqual([]);
  });

  it('versions: v1 then v2, v2 from the rollout on', () => {
    const [v1, v2, ...rest] = linesOf('versions', recordedSeries('versions'));
    expect([v1?.label, v2?.label, rest]).toEqual(['v1', 'v2', []]);
    const v2From = v2?.points[0]?.[0] ?? 0;
    expect(v2From).toBeGreaterThan(v1?.points[0]?.[0] ?? 0);
    // Before v2 answered, every answer was v1's.
    expect(v1?.points.filter(([t, v]) => t < v2From && v > 0).length).toBeGreaterThan(30);
    expect(v1?.colour).not.toBe(v2?.colour);
  });

  it('latency: p50, p99 and the CPU per answer, in milliseconds', () => {
    const raw = recordedSeries('latency');
    const lines = linesOf('latency', raw);
    expect(lines.map((line) => line.key)).toEqual(['p50', 'p99', 'cpu']);
    const seconds = raw.find((s) => s.labels.line === 'p99')?.points[0]?.[1] ?? Number.NaN;
    expect(lines[1]?.points[0]?.[1]).toBeCloseTo(seconds * 1000, 9);
    // The busy loop's CPU is part of the answer's time, and the slowest 1 % is slower than the median.
    const at = (key: string) => new Map(lines.find((line) => line.key === key)?.points);
    const [p50, p99] = [at('p50'), at('p99')];
    for (const [t, median] of p50) expect(p99.get(t) ?? median).toBeGreaterThanOrEqual(median);
  });

  it("errors: the sick replica's 500s, and the queue refusals (none here)", () => {
    const lines = linesOf('errors', recordedSeries('errors'));
    expect(lines.map((line) => line.label)).toEqual(['500', 'shed by a queue (503)']);
    expect(Math.max(...(lines[0]?.points.map(([, v]) => v) ?? []))).toBeGreaterThan(0);
    expect(lines[1]?.points.every(([, v]) => v === 0)).toBe(true);
  });

  it('lab: how many replicas at each moment, 3 then 4, one fewer while one was down', () => {
    const [replicas, sick] = linesOf('lab', recordedSeries('lab'));
    const counts = replicas?.points.map(([, v]) => v) ?? [];
    expect(counts[0]).toBe(3);
    expect(counts).toContain(4);
    expect(sick?.points.some(([, v]) => v === 1)).toBe(true);
  });
});

describe('versionShares', () => {
  const line = (label: string, points: [number, number][]): Line => ({
    key: label,
    label,
    colour: label,
    points,
  });

  it.each([
    {
      what: 'all v1 before a rollout',
      lines: [
        line('v1', [
          [1, 10],
          [2, 12],
        ]),
      ],
      expected: [['v1', 1]],
    },
    {
      what: 'halfway, at the latest second with answers',
      lines: [
        line('v1', [
          [1, 10],
          [2, 6],
        ]),
        line('v2', [
          [2, 2],
          [3, 0],
        ]),
      ],
      expected: [
        ['v1', 0.75],
        ['v2', 0.25],
      ],
    },
    { what: 'nothing answered since', lines: [line('v1', [[1, 10]])], expected: [], since: 2 },
  ])('$what', ({ lines, expected, since }) => {
    expect(versionShares(lines, since ?? 0).map(({ label, share }) => [label, share])).toEqual(expected);
  });

  it('the recorded rollout: v1 alone at first, both once v2 answers', () => {
    const lines = linesOf('versions', recordedSeries('versions'));
    const v2From = lines[1]?.points[0]?.[0] ?? 0;
    const before = lines.map((l) => ({ ...l, points: l.points.filter(([t]) => t < v2From) }));
    expect(versionShares(before, 0).map((s) => s.label)).toEqual(['v1']);
    expect(versionShares(lines, 0).map((s) => s.label)).toEqual(['v1', 'v2']);
  });
});
