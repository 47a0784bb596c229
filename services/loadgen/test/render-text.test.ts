import { describe, expect, it } from 'vitest';
import { bar, renderText, table, wrap } from '../src/render-text.js';
import { loadFixture, workOnly } from './fixture.js';

describe('renderText', () => {
  const result = loadFixture();
  const text = renderText(result);
  const lines = text.split('\n');

  it('starts with the target, the label and the kind of load', () => {
    expect(lines[0]).toBe(
      'loadgen  http://nginx:8080/  "Rollout v1 to v2, 3 replicas"  2026-11-26T16:30:00.000Z',
    );
    expect(lines[1]).toBe(' closed loop, 20 connections, 10.0 s after a 1 s warm-up');
  });

  it('has a compact table of throughput, percentiles and failures', () => {
    expect(text).toContain(
      [
        ' answers  throughput   p50    p90    p99     max     non-2xx  errors  timeouts',
        ' 3460     346.0 req/s  55 ms  71 ms  104 ms  231 ms  10       2       1',
      ].join('\n'),
    );
    expect(text).toContain(
      ' service time 5.20 ms of CPU per answer (Server-Timing cpu, 3450 answers); wall 7.90 ms',
    );
  });

  it('draws a bar per hostname with its count and share, the answers without a hostname included', () => {
    expect(text).toContain(
      [
        'Hostnames (3 replicas)',
        ` 4f1c2a9b7d3e  ${'█'.repeat(10)}${'░'.repeat(20)}  1153   33.3%`,
        ` 9a0b8c7d6e5f  ${'█'.repeat(10)}${'░'.repeat(20)}  1151   33.3%`,
        ` c3d2e1f0a9b8  ${'█'.repeat(10)}${'░'.repeat(20)}  1146   33.1%`,
        ` (none)        ${'░'.repeat(30)}    10    0.3%`,
      ].join('\n'),
    );
  });

  it('counts the versions the same way', () => {
    expect(text).toContain(
      [
        'Versions',
        ` v1      ${'█'.repeat(16)}${'░'.repeat(14)}  1896   54.8%`,
        ` v2      ${'█'.repeat(13)}${'░'.repeat(17)}  1554   44.9%`,
        ` (none)  ${'░'.repeat(30)}    10    0.3%`,
      ].join('\n'),
    );
  });

  it('sets the model beside the measurement and says what limits the run', () => {
    expect(text).toContain('Model (measured / model in brackets)');
    expect(text).toContain(' cores     2 - 0.21 load generator - 0.1 proxy = 1.69 left for the replicas');
    expect(text).toContain(
      ' capacity  min(3 replicas, 1.69 cores) / 5.20 ms = 325.0 req/s; measured 346.0 req/s (1.06x)',
    );
    expect(text).toContain(
      " latency   Little's law, 20 in flight / throughput = 61.5 ms; measured mean 57.8 ms (0.94x)",
    );
    expect(text).toContain(' limit     Cores: 3 replicas share the 1.69 cores left');
    // S is CPU time: waiting for a core is not in it, so there is nothing to warn about.
    expect(text).not.toContain(' note ');
  });

  it('says when S is wall time, and warns when the replicas outnumber the cores', () => {
    const wallOnly = renderText(workOnly(result));
    expect(wallOnly).toContain(
      ' service time 7.90 ms of wall time per answer (Server-Timing work, 3450 answers; no cpu)',
    );
    expect(wallOnly).toContain(' capacity  min(3 replicas, 1.69 cores) / 7.90 ms = ');
    expect(wallOnly).toContain(
      ' note      More replicas than free cores: each work time also counts waiting',
    );
  });

  it('says so when no answer carried Server-Timing', () => {
    const none = renderText({
      ...result,
      workMs: { mean: null, count: 0 },
      cpuMs: { mean: null, count: 0 },
      model: { ...result.model, serviceTimeMs: null, serviceTimeFrom: null, capacityRps: null },
    });
    expect(none).toContain(' service time - (no answer carried Server-Timing)');
    expect(none).not.toContain(' capacity ');
  });

  it('keeps every line within 100 columns', () => {
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(100);
  });

  it('says so when a run was stopped early, or ran an open loop', () => {
    const stopped = renderText({
      ...result,
      interrupted: true,
      loop: 'open',
      options: { ...result.options, rate: 300 },
    });
    expect(stopped.split('\n')[1]).toBe(
      ' open loop at 300.0 req/s, 20 connections, 10.0 s after a 1 s warm-up, stopped early',
    );
  });
});

describe('bar, table and wrap', () => {
  it.each([
    [1, 3, 10, '███░░░░░░░'],
    [0, 5, 4, '░░░░'],
    [5, 5, 4, '████'],
    [1, 0, 4, '░░░░'],
  ])('bar(%i of %i, width %i)', (part, whole, width, expected) => {
    expect(bar(part, whole, width)).toBe(expected);
  });

  it('pads columns to their widest cell', () => {
    expect(
      table([
        ['a', 'bbb'],
        ['cccc', 'd'],
      ]),
    ).toEqual([' a     bbb', ' cccc  d']);
  });

  it('wraps words at the width', () => {
    expect(wrap('one two three four', 9)).toEqual(['one two', 'three', 'four']);
  });
});
