import { describe, expect, it } from 'vitest';
import { ceilingLimit, majority, saturationLimit, serverLimit } from '../src/figures/limits.js';
import { roundRobinDeviation } from '../src/figures/round-robin.js';
import { buildReport } from '../src/figures.js';
import type { SaturationRun, ServerRun } from '../src/measurements.js';
import { meets } from '../src/targets.js';
import { MEASUREMENTS } from './fixture.js';

const run = (parts: Partial<SaturationRun>): SaturationRun => ({
  replicas: 2,
  rps: 400,
  errors: 0,
  loadgenCores: 0.05,
  loadgenLimit: 1,
  nginxLimit: 1,
  nginxCores: 0.05,
  replicaCores: 1.85,
  otherCores: 0.05,
  cpuMs: 4,
  modelCapacityRps: 450,
  ...parts,
});

describe('saturationLimit', () => {
  it.each<[Partial<SaturationRun>, string]>([
    [{}, 'replicas (lab)'],
    [{ loadgenCores: 0.95 }, 'load generator'],
    [{ loadgenCores: 0.46, loadgenLimit: 0.5 }, 'load generator'],
    [{ nginxCores: 0.92 }, 'nginx'],
    [{ replicaCores: 1, otherCores: 0.4 }, 'other work on the machine'],
    [{ replicaCores: 1.2 }, 'lab (not CPU)'],
    // The replicas left cores idle, but with the others every core was busy.
    [{ replicaCores: 1.2, otherCores: 0.6 }, 'CPU (every core busy)'],
    [{ replicaCores: 1.42, nginxCores: 0.2, loadgenCores: 0.15 }, 'CPU (every core busy)'],
    [{ replicas: 1, replicaCores: 0.93 }, 'replicas (lab)'],
  ])('%j -> %s', (parts, limit) => {
    expect(saturationLimit(run(parts), 2)).toBe(limit);
  });
});

describe('serverLimit', () => {
  const server = (serverCores: number, loadgenCores: number): ServerRun => ({
    rps: 1,
    requests: 1,
    errors: 0,
    serverCores,
    serverLimit: 0.5,
    requestsPerCpuSecond: 1,
    loadgenCores,
    loadgenLimit: 1,
  });
  it.each<[number, number, string]>([
    [0.49, 0.6, 'server'],
    [0.3, 0.97, 'load generator'],
    [0.3, 0.5, 'other work on the machine'],
  ])('server %d cores, load generator %d -> %s', (serverCores, loadgenCores, limit) => {
    expect(serverLimit(server(serverCores, loadgenCores))).toBe(limit);
  });
});

describe('ceilingLimit', () => {
  it.each<[number, number, string]>([
    [0.99, 0.7, 'load generator'],
    [0.5, 0.95, 'target'],
    [0.5, 0.5, 'other work on the machine'],
  ])('load generator %d, target %d -> %s', (loadgenCores, targetCores, limit) => {
    const ceiling = {
      first: 'wrk' as const,
      wrk: { rps: 1, targetCores: 1, wrkCores: 0.5 },
      loadgen: { rps: 1, targetCores, loadgenCores },
    };
    expect(ceilingLimit(ceiling)).toBe(limit);
  });
});

describe('majority', () => {
  it.each<[string[], string]>([
    [['a', 'b', 'a'], 'a'],
    [['a', 'b'], 'a'],
    [['b', 'a', 'a'], 'a'],
    [[], 'unknown'],
  ])('%j -> %s', (values, expected) => {
    expect(majority(values)).toBe(expected);
  });
});

describe('roundRobinDeviation', () => {
  it.each<[Record<string, number>, number, number]>([
    [{ a: 100, b: 100 }, 2, 0],
    [{ a: 3334, b: 3333, c: 3333 }, 3, 0.00667],
    [{ a: 60, b: 40 }, 2, 10],
    // A replica that got nothing is as far off as it gets.
    [{ a: 50, b: 50 }, 3, 33.333],
  ])('%j over %d replicas: %d percentage points', (hostnames, replicas, deviation) => {
    expect(roundRobinDeviation(hostnames, replicas)).toBeCloseTo(deviation, 2);
  });
});

describe('meets', () => {
  it.each([
    [0.9, { comparison: 'at least', value: 0.9 }, true],
    [0.89, { comparison: 'at least', value: 0.9 }, false],
    [0.29, { comparison: 'under', value: 0.3 }, true],
    [0.3, { comparison: 'under', value: 0.3 }, false],
    [1, null, null],
    [Number.NaN, { comparison: 'under', value: 1 }, null],
  ] as const)('%d against %j -> %s', (value, target, met) => {
    expect(meets(value, target)).toBe(met);
  });
});

describe('buildReport', () => {
  const report = buildReport(MEASUREMENTS, new Date('2026-11-26T18:10:00Z'));
  const byId = Object.fromEntries(report.figures.map((figure) => [figure.id, figure]));

  it('has every figure of the ten items, each saying how it was measured', () => {
    expect(Object.keys(byId)).toEqual(
      expect.arrayContaining([
        'service-time',
        'machine-limit',
        'throughput-1',
        'of-lab-limit-2',
        'of-machine-limit-3',
        'hello-seed-rps-ratio',
        'hello-seed-cpu-ratio',
        'wrk-hello-seed-rps-ratio',
        'wrk-hello-seed-cpu-ratio',
        'proxy-p50-added-1',
        'proxy-p99-added-10',
        'bare-p50-added-10',
        'proxy-p50-over-bare-10',
        'new-connections-per-1000',
        'loadgen-wrk-ratio',
        'round-robin-deviation',
        'startup',
        'model-capacity-off-2',
        'half-load-p99-inside',
        'half-load-p99-port',
        'direct-replicas',
        'live-view-prometheus-scrapes',
        'live-view-prometheus-queries',
        'live-view-nginx-added',
        'live-view-share',
        'live-view-queries-over-scrapes',
        'live-view-bench-without',
        'live-view-bench-with',
        'live-view-bench-ratio',
      ]),
    );
    expect(new Set(report.figures.map((figure) => figure.item))).toEqual(
      new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
    );
    for (const figure of report.figures) {
      expect(figure.method.tool, figure.id).not.toBe('');
      expect(figure.method.repetitions, figure.id).toBe(3);
      expect(figure.samples, figure.id).toHaveLength(3);
      expect(figure.min, figure.id).toBeLessThanOrEqual(figure.median);
      expect(figure.median, figure.id).toBeLessThanOrEqual(figure.max);
    }
  });

  it.each<[string, number, boolean | null]>([
    ['service-time', 4, null],
    ['machine-limit', 500, null],
    ['of-lab-limit-1', 0.952, true],
    // under the lab's load generator: shown, without the target
    ['hello-seed-rps-ratio', 0.8, null],
    ['hello-seed-cpu-ratio', 0.8, null],
    ['wrk-hello-seed-rps-ratio', 0.935, true],
    ['wrk-hello-seed-cpu-ratio', 0.935, true],
    ['proxy-p50-added-1', 0.08, true],
    ['proxy-p50-added-10', 0.26, true],
    // a bare nginx in the same runs: shown, without the target
    ['bare-p50-added-1', 0.07, null],
    ['bare-p50-added-10', 0.22, null],
    ['proxy-p50-over-bare-10', 0.03, null],
    ['new-connections-per-1000', 0, true],
    ['loadgen-wrk-ratio', 0.789, true],
    ['round-robin-deviation', 0.007, true],
    ['startup', 7.1, true],
    // 470, 460 and 468 req/s against a model of 480: 2.1, 4.2 and 2.5 % off.
    ['model-capacity-off-2', 2.5, true],
    // p99 10 ms at S = 4 ms: 2.5 × S; through the port 18 ms, 4.5 × S.
    ['half-load-p99-inside', 2.5, true],
    ['half-load-p99-port', 4.5, true],
    ['direct-replicas', 0.94, true],
    // Prometheus 0.015 and 0.038 cores of 2; nginx 0.002 more with the queries: shares in %.
    ['live-view-prometheus-scrapes', 0.75, null],
    ['live-view-prometheus-queries', 1.9, null],
    ['live-view-nginx-added', 0.1, null],
    ['live-view-share', 1.9, true],
    ['live-view-queries-over-scrapes', 2.533, null],
    ['live-view-bench-without', 405, null],
    ['live-view-bench-with', 404, null],
    ['live-view-bench-ratio', 0.995, null],
  ])('%s: median %d, target met: %s', (id, value, met) => {
    expect(byId[id]?.median).toBeCloseTo(value, 2);
    expect(byId[id]?.met).toBe(met);
  });

  it('gives the model\u2019s error only when every repetition had a model capacity, and says why not', () => {
    const saturation = MEASUREMENTS.saturation.map((run, i) =>
      run.replicas === 3 && i === 8 ? { ...run, modelCapacityRps: null } : run,
    );
    const partial = buildReport({ ...MEASUREMENTS, saturation }, new Date('2026-11-26T18:10:00Z'));
    const ids = partial.figures.map((figure) => figure.id);
    expect(ids).toContain('model-capacity-off-2');
    expect(ids).not.toContain('model-capacity-off-3');
    expect(partial.notes).toContain(
      'Item 2, 3 replicas: the load generator\u2019s model had no capacity in 1 of 3 runs (no core left for the replicas), so how far it is off is not given.',
    );
    for (const figure of partial.figures) expect(figure.samples, figure.id).toHaveLength(3);
  });

  it('says how much of nginx’s added latency a bare nginx adds too', () => {
    expect(report.notes).toContain(
      'Item 4, 10 connections: at p50 the lab’s nginx added 0.26 ms and a bare nginx 0.22 ms in the ' +
        'same run: the lab’s configuration cost 0.03 ms of it, any nginx on this machine the rest.',
    );
    expect(byId['proxy-p50-added-10']?.note).toMatch(
      /0\.36 ms through a bare nginx; p99 .* 1\.1 ms through a bare nginx$/,
    );
  });

  it('says what limited each load bench', () => {
    expect(byId['throughput-1']?.limitedBy).toBe('replicas (lab)');
    expect(byId['hello-seed-rps-ratio']?.limitedBy).toBe('server');
    expect(byId['loadgen-wrk-ratio']?.limitedBy).toBe('load generator');
    expect(byId['wrk-hello-seed-rps-ratio']?.limitedBy).toBe('server');
    expect(report.notes.join('\n')).toMatch(/Item 3 under wrk: limited by server/);
    expect(report.notes.join('\n')).toMatch(/Item 3 under the lab\u2019s load generator: limited by server/);
  });

  it('says what each load tool spent per answer of each server, and what the servers did', () => {
    // 0.8 cores at 40 000 answers/s, and 0.7 cores at 32 000 answers/s (medians); the servers
    // answered 80 000 and 64 000 per CPU-second
    expect(report.notes.join('\n')).toMatch(
      /The load generator spent 20 \u00b5s of CPU per answer of the seed and 21\.9 \u00b5s per answer of hello; the servers themselves 12\.5 and 15\.6 \u00b5s\./,
    );
    // wrk: 0.3 cores at 30 000 answers/s, and a median of 10.3 µs per answer of hello; the servers
    // answered 60 000 and 57 000 per CPU-second
    expect(report.notes.join('\n')).toMatch(
      /Item 3 under wrk: limited by server; cores used \(medians\): wrk 0\.3 with the seed, 0\.3 with hello; .* wrk spent 10 \u00b5s of CPU per answer of the seed and 10\.3 \u00b5s per answer of hello; the servers themselves 16\.7 and 17\.5 \u00b5s\./,
    );
    expect(report.notes.join('\n')).toMatch(
      /Item 5: the load generator used 0\.99 cores and wrk 0\.61 \(each runs on one\)/,
    );
  });

  it('says when wrk itself limited item 3', () => {
    const busyWrk = MEASUREMENTS.seedWrk.map((run) => ({
      ...run,
      seed: { ...run.seed, serverCores: 0.3, loadgenCores: 0.95 },
      hello: { ...run.hello, serverCores: 0.3, loadgenCores: 0.95 },
    }));
    const busy = buildReport({ ...MEASUREMENTS, seedWrk: busyWrk }, new Date('2026-11-26T18:10:00Z'));
    expect(busy.figures.find((figure) => figure.id === 'wrk-hello-seed-rps-ratio')?.limitedBy).toBe(
      'load generator',
    );
    expect(busy.notes.join('\n')).toMatch(/Item 3 under wrk: limited by load generator/);
  });

  it('notes an item that could not run', () => {
    const without = buildReport(
      { ...MEASUREMENTS, ceiling: [], skipped: { ceiling: 'wrk is not installed' } },
      new Date(),
    );
    expect(without.figures.some((figure) => figure.item === 5)).toBe(false);
    expect(without.notes).toContain('Item 5 not measured: wrk is not installed.');
  });

  it('leaves out item 3 under wrk without wrk, and keeps it under the lab\u2019s load generator', () => {
    const without = buildReport(
      { ...MEASUREMENTS, seedWrk: [], skipped: { seedWrk: 'wrk is not installed' } },
      new Date(),
    );
    const ids = without.figures.filter((figure) => figure.item === 3).map((figure) => figure.id);
    expect(ids.filter((id) => id.startsWith('wrk-'))).toEqual([]);
    expect(ids).toContain('hello-seed-cpu-ratio');
    expect(without.notes).toContain('Item 3 under wrk not measured: wrk is not installed.');
  });
});
