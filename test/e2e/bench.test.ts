// `make bench` against the 3-replica lab: the report it writes must show the even spread and a
// throughput that the capacity model predicts.
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
  model: { capacityRps: number; predictedLatencyMs: number };
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
    expect(total).toBeGreaterThan(500);
    const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
    expect(sum(report.hostnames)).toBe(total);
    expect(sum(report.versions)).toBe(total);
    expect(report.options).toMatchObject({ duration: 10, connections: 12 });
  });

  it("measures a throughput within 35 % of the model's prediction", () => {
    const ratio = report.throughputRps / report.model.capacityRps;
    expect(ratio).toBeGreaterThan(0.65);
    expect(ratio).toBeLessThan(1.35);
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
    const { stdout } = await make('bench-sweep', 'N=2', 'DURATION=2', `REPORTS=${reports}`);
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
