// `make perf-quick`: the whole performance job at tiny sizes, in a project and on a port of its
// own. It must report every figure of the ten items, each with how it was measured and the
// median, min and max of its repetitions, write the Markdown table, and leave nothing behind.
// The figures themselves are not checked: at these sizes and on a shared machine they say little.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Measurements } from '../../perf/src/measurements.js';
import { containerIds, eventually, PERF_JOB, run } from './lab.js';

interface Figure {
  id: string;
  item: number;
  median: number;
  min: number;
  max: number;
  samples: number[];
  method: { tool: string; durationSeconds: number | null; connections: number | null; repetitions: number };
}

interface PerfReport {
  quick: boolean;
  figures: Figure[];
  notes: string[];
  measurements: Pick<Measurements, 'liveViewCpu' | 'liveViewBench'>;
}

const PERF_PROJECT = PERF_JOB.project;

/** The figures the job reports at the quick sizes (two replicas at most), by item. */
const EXPECTED = [
  'service-time',
  'machine-limit',
  'throughput-1',
  'of-machine-limit-1',
  'of-lab-limit-1',
  'throughput-2',
  'of-machine-limit-2',
  'of-lab-limit-2',
  'wrk-seed-rps',
  'wrk-hello-rps',
  'wrk-hello-seed-rps-ratio',
  'wrk-seed-per-cpu-second',
  'wrk-hello-per-cpu-second',
  'wrk-hello-seed-cpu-ratio',
  'seed-rps',
  'hello-rps',
  'hello-seed-rps-ratio',
  'seed-per-cpu-second',
  'hello-per-cpu-second',
  'hello-seed-cpu-ratio',
  'proxy-p50-added-1',
  'proxy-p99-added-1',
  'proxy-p50-added-10',
  'proxy-p99-added-10',
  'bare-p50-added-1',
  'proxy-p50-over-bare-1',
  'bare-p50-added-10',
  'proxy-p50-over-bare-10',
  'new-connections-per-1000',
  'wrk-rps',
  'loadgen-rps',
  'loadgen-wrk-ratio',
  'round-robin-deviation',
  'startup',
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
];

describe('make perf-quick', () => {
  let printed: string;
  let report: PerfReport;

  beforeAll(async () => {
    // Started by the global setup (stack.ts); it runs beside the other e2e files.
    const done = await eventually(async () => existsSync(PERF_JOB.status), 900_000, 1000);
    printed = await readFile(PERF_JOB.output, 'utf8');
    if (!done) throw new Error(`make perf-quick did not finish within 15 min:\n${printed.slice(-3000)}`);
    const status = (await readFile(PERF_JOB.status, 'utf8')).trim();
    if (status !== '0') throw new Error(`make perf-quick failed (exit ${status}):\n${printed.slice(-3000)}`);
    report = JSON.parse(await readFile(join(PERF_JOB.reports, 'perf-latest.json'), 'utf8'));
  }, 1_000_000);

  it('reports every figure of the ten items', () => {
    expect(report.quick).toBe(true);
    expect(report.figures.map((figure) => figure.id)).toEqual(expect.arrayContaining(EXPECTED));
    expect(new Set(report.figures.map((figure) => figure.item))).toEqual(
      new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
    );
  });

  it('measures the live view on 5 replicas with Prometheus, its queries answered, the benches alternated', () => {
    const { liveViewCpu, liveViewBench } = report.measurements;
    expect(liveViewCpu.length).toBeGreaterThanOrEqual(3);
    for (const run of liveViewCpu) {
      expect(run.replicas).toBe(5);
      // Prometheus ran and was read from its cgroup: a scraping Prometheus is never at zero.
      expect(run.scrapes.prometheusCores).toBeGreaterThan(0);
      expect(run.queries.prometheusCores).toBeGreaterThan(0);
      // The page's requests went through nginx to Prometheus and came back as charts' data.
      expect(run.queries.requests).toBeGreaterThanOrEqual(5);
      expect(run.queries.failed).toBe(0);
      expect(run.scrapes.requests).toBe(0);
    }
    // A B A B, at least two of each, every bench answered.
    expect(liveViewBench.map((run) => run.withQueries)).toEqual(liveViewBench.map((_, i) => i % 2 === 1));
    expect(liveViewBench.filter((run) => run.withQueries).length).toBeGreaterThanOrEqual(2);
    for (const run of liveViewBench) expect(run.rps).toBeGreaterThan(0);
    expect(report.notes.join('\n')).toMatch(
      /Item 10, the bench: with the page\u2019s queries the median moved by .* beside a spread of the repeats/,
    );
  });

  it('says for each how it was measured: tool, duration, connections, repetitions', () => {
    for (const { id, method } of report.figures) {
      expect(method.tool, id).toMatch(/\w/);
      expect(method, id).toHaveProperty('durationSeconds');
      expect(method, id).toHaveProperty('connections');
      expect(method.repetitions, id).toBeGreaterThanOrEqual(3);
    }
  });

  it('gives the median, min and max of at least three repetitions', () => {
    for (const { id, median, min, max, samples, method } of report.figures) {
      expect(samples, id).toHaveLength(method.repetitions);
      for (const value of [median, min, max]) expect(Number.isFinite(value), id).toBe(true);
      expect(min, id).toBeLessThanOrEqual(median);
      expect(median, id).toBeLessThanOrEqual(max);
    }
  });

  it('says what limited the load benches', () => {
    expect(report.notes.join('\n')).toMatch(/Item 3 under wrk: limited by/);
    expect(report.notes.join('\n')).toMatch(/Item 3 under the lab\u2019s load generator: limited by/);
    expect(report.notes.join('\n')).toMatch(/Item 5: .*Limited by/);
    expect(report.notes.join('\n')).toMatch(
      /Item 4, 10 connections: at p50 the lab\u2019s nginx added .* a bare nginx/,
    );
  });

  it('prints the Markdown table and writes it beside the JSON', async () => {
    const markdown = await readFile(join(PERF_JOB.reports, 'perf-latest.md'), 'utf8');
    expect(markdown).toMatch(/^\| # \| Figure \| Median \| Min \| Max \|/m);
    expect(markdown.split('\n').filter((line) => /^\| \d+ /.test(line))).toHaveLength(report.figures.length);
    expect(printed).toContain(markdown.trim().split('\n')[4] ?? 'a table row');
  });

  it('takes its own project down and leaves the lab under test running', async () => {
    const { stdout } = await run('docker', [
      'ps',
      '-aq',
      '--filter',
      `label=com.docker.compose.project=${PERF_PROJECT}`,
    ]);
    expect(stdout.trim()).toBe('');
    // It runs beside the other end-to-end files (stack.ts): their lab is still there.
    expect((await containerIds('hello')).length).toBeGreaterThan(0);
  });
});
