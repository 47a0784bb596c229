// `make bench` against the 3-replica lab: the report it writes must show the even spread, count
// every answer once, and carry a model whose figures follow from the report's own numbers. How
// close the throughput comes to the model is the machine's to say: `make perf` measures it.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerIds, make } from './lab.js';

interface BenchReport {
  requests: { total: number; ok: number; non2xx: number; errors: number; timeouts: number };
  throughputRps: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  hostnames: Record<string, number>;
  versions: Record<string, number>;
  replicas: Array<{ hostname: string; answers: number }>;
  model: {
    serviceTimeMs: number;
    replicas: number;
    cores: number;
    overheadCores: number;
    effectiveCores: number;
    capacityRps: number;
    predictedLatencyMs: number;
    throughputRatio: number;
    limit: string;
    explanation: string;
  };
  cpuMs: { mean: number; count: number };
  loadgenCores: number;
  connections: number;
  options: { duration: number; connections: number };
}

describe('make bench', () => {
  let report: BenchReport;
  let printed: string;
  // A reports folder of its own, so a person's reports stay as they are.
  let reports: string;

  beforeAll(async () => {
    reports = await mkdtemp(join(tmpdir(), 'hello-lab-reports-'));
    await make('scale', 'N=3');
    ({ stdout: printed } = await make('bench', 'DURATION=10', 'CONNECTIONS=12', `REPORTS=${reports}`));
    report = JSON.parse(await readFile(join(reports, 'bench-latest.json'), 'utf8'));
  });

  afterAll(async () => {
    await rm(reports, { recursive: true, force: true });
  });

  it('prints the report: the table and a bar per hostname', () => {
    expect(printed).toMatch(/answers\s+throughput\s+p50\s+p90\s+p99\s+max/);
    for (const hostname of Object.keys(report.hostnames)) expect(printed).toContain(hostname);
  });

  it('spreads the load evenly: each of the 3 hostnames within 1 % of a third', () => {
    const shares = Object.values(report.hostnames).map((count) => count / report.requests.total);
    expect(shares).toHaveLength(3);
    for (const share of shares) expect(Math.abs(share - 1 / 3)).toBeLessThan(0.01 / 3);
  });

  it('counts every answer once, with no errors', () => {
    const { total, ok, non2xx, errors, timeouts } = report.requests;
    expect({ non2xx, errors, timeouts }).toEqual({ non2xx: 0, errors: 0, timeouts: 0 });
    expect(ok).toBe(total);
    expect(total).toBeGreaterThan(0);
    const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
    expect(sum(report.hostnames)).toBe(total);
    expect(sum(report.versions)).toBe(total);
    // and once per replica, in the per-replica table
    expect(report.replicas.map((replica) => replica.hostname).sort()).toEqual(
      Object.keys(report.hostnames).sort(),
    );
    expect(report.replicas.reduce((n, replica) => n + replica.answers, 0)).toBe(total);
    expect(report.options).toMatchObject({ duration: 10, connections: 12 });
  });

  it("gives a model that follows from the run's own figures, and names the limit they show", () => {
    const { model } = report;
    expect(model.replicas).toBe(3);
    expect(model.serviceTimeMs).toBeCloseTo(report.cpuMs.mean, 3);
    expect(model.effectiveCores).toBeCloseTo(model.cores - model.overheadCores, 2);
    expect(model.overheadCores).toBeGreaterThanOrEqual(report.loadgenCores - 0.001);
    const capacity = Math.min(model.replicas, model.effectiveCores) / (model.serviceTimeMs / 1000);
    expect(model.capacityRps).toBeCloseTo(capacity, 0);
    expect(model.throughputRatio).toBeCloseTo(report.throughputRps / model.capacityRps, 2);
    // A closed loop: Little's law, in flight over what was served.
    const served = Math.min(model.capacityRps, report.throughputRps);
    expect(model.predictedLatencyMs).toBeCloseTo((report.connections / served) * 1000, 0);
    // The sentence names the limit its numbers show: 3 replicas against the cores left for them.
    if (model.limit === 'cores') expect(model.replicas).toBeGreaterThanOrEqual(model.effectiveCores);
    if (model.limit === 'replicas') expect(model.replicas).toBeLessThan(model.effectiveCores);
    if (model.limit === 'outside the model') expect(model.throughputRatio).toBeLessThan(0.7);
    expect(['cores', 'replicas', 'outside the model', 'load generator']).toContain(model.limit);
    expect(printed).toContain(model.explanation.slice(0, 40));
  });

  it('writes a self-contained HTML report beside the JSON', async () => {
    const html = await readFile(join(reports, 'bench-latest.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    for (const hostname of Object.keys(report.hostnames)) expect(html).toContain(hostname);
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|@import|url\(/i);
  });
});

describe('make bench-sweep', () => {
  let reports: string;

  beforeAll(async () => {
    reports = await mkdtemp(join(tmpdir(), 'hello-lab-sweep-'));
    await make('scale', 'N=3');
  });

  afterAll(async () => {
    await rm(reports, { recursive: true, force: true });
  });

  it('benches 1 and 2 replicas, writes the sweep report, and leaves the replicas as they were', async () => {
    const { stdout } = await make('bench-sweep', 'SWEEP_MAX=2', 'DURATION=2', `REPORTS=${reports}`);
    const sweep = JSON.parse(await readFile(join(reports, 'sweep-latest.json'), 'utf8'));
    expect(sweep.rows.map((row: { replicas: number }) => row.replicas)).toEqual([1, 2]);
    for (const row of sweep.rows) {
      expect(row.errors).toBe(0);
      expect(row.throughputRps).toBeGreaterThan(0);
      expect(row.model.capacityRps).toBeGreaterThan(0);
    }
    expect(stdout).toMatch(/replicas\s+throughput\s+speed-up\s+capacity/);
    const html = await readFile(join(reports, 'sweep-latest.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|@import|url\(/i);
    expect(await containerIds('hello')).toHaveLength(3);
  });
});

describe('make bench-curve', () => {
  let reports: string;

  beforeAll(async () => {
    reports = await mkdtemp(join(tmpdir(), 'hello-lab-curve-'));
    await make('scale', 'N=3');
  });

  afterAll(async () => {
    await rm(reports, { recursive: true, force: true });
  });

  it('offers 10 % to 110 % of the measured capacity and sets the theory beside each load', async () => {
    const { stdout } = await make('bench-curve', 'DURATION=1', `REPORTS=${reports}`);
    const curve = JSON.parse(await readFile(join(reports, 'curve-latest.json'), 'utf8'));
    expect(curve.steps.map((step: { share: number }) => step.share)).toEqual([
      0.1, 0.25, 0.5, 0.7, 0.8, 0.9, 1, 1.1,
    ]);
    const rates = curve.steps.map((step: { rate: number }) => step.rate);
    expect(rates).toEqual([...rates].sort((a: number, b: number) => a - b));
    expect(curve.capacity.replicas).toBe(3);
    for (const step of curve.steps) {
      expect(step.failed).toBe(0);
      expect(step.simulated.p50).toBeGreaterThan(0);
      expect(step.p99).toBeGreaterThanOrEqual(step.p50);
    }
    expect(curve.sentence).toMatch(/knee/i);
    expect(stdout).toMatch(/load\s+offered\s+answered\s+p50\s+p99/);
    const html = await readFile(join(reports, 'curve-latest.html'), 'utf8');
    expect(html.match(/<polyline /g)).toHaveLength(4);
  });
});
