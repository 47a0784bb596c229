// `make bench RATE=`: the open loop against the real lab. nginx's access log says when each
// request arrived (the log's $msec less its $request_time); the arrivals must keep to the
// schedule, and never run ahead of it, as the bursts of a rate that is not an open loop do.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compose, eventually, labEnv, make, run } from './lab.js';

interface OpenLoopReport {
  startedAt: string;
  loop: string;
  requests: { total: number; ok: number };
  model: { cores: number; otherCores: number; overheadCores: number; effectiveCores: number };
  latencyMs: { p50: number; p99: number; max: number };
  openLoop: {
    arrivals: string;
    rate: number;
    scheduled: number;
    late: number;
    maxLagMs: number;
    sentLatencyMs: { p50: number; p99: number; max: number };
  };
}

const RATE = 50;
// One request every 20 ms; the three clocks (the report's start, $msec, $request_time) each
// keep whole milliseconds.
const GAP_MS = 1000 / RATE;
const ROUNDING_MS = 3;

describe('make bench RATE=50: an open loop, evenly spaced', () => {
  let reports: string;
  let report: OpenLoopReport;
  let arrivals: number[];
  const marker = `open-loop-${process.pid}-${Date.now()}`;

  /** When nginx saw each of this bench's requests arrive, in ms since the epoch, in order. */
  async function nginxArrivals(since: string): Promise<number[]> {
    const { stdout } = await compose('logs', '--no-log-prefix', '--since', since, 'nginx');
    return (
      stdout
        .split('\n')
        .filter((line) => line.includes(marker))
        .map((line) => JSON.parse(line) as { msec: number; request_time: number; request: string })
        // The load generator's reachability check before the load is a HEAD.
        .filter(({ request }) => request.startsWith('GET '))
        .map(({ msec, request_time }) => Math.round((msec - request_time) * 1000))
        .sort((a, b) => a - b)
    );
  }

  beforeAll(async () => {
    reports = await mkdtemp(join(tmpdir(), 'hello-lab-open-loop-'));
    await make('scale', 'N=3');
    const since = new Date(Date.now() - 1000).toISOString();
    await run(
      'make',
      ['--no-print-directory', 'bench', `RATE=${RATE}`, 'DURATION=4', 'WARMUP=0', `REPORTS=${reports}`],
      {
        ...labEnv,
        TARGET_URL: `http://nginx:8080/?run=${marker}`,
        // Measured, as `make bench` does by default.
        OTHER_CORES: '',
      },
    );
    report = JSON.parse(await readFile(join(reports, 'bench-latest.json'), 'utf8'));
    // nginx writes its access log in buffers, flushed every second.
    await eventually(async () => (await nginxArrivals(since)).length >= report.openLoop.scheduled, 30_000);
    arrivals = await nginxArrivals(since);
  });

  afterAll(async () => {
    await rm(reports, { recursive: true, force: true });
  });

  it('sent what the schedule held, and nginx saw each request once', () => {
    expect(report.loop).toBe('open');
    expect(report.openLoop).toMatchObject({ arrivals: 'constant', rate: RATE, scheduled: RATE * 4 });
    expect(report.requests.ok).toBe(report.openLoop.scheduled);
    expect(arrivals).toHaveLength(report.openLoop.scheduled);
  });

  it('measured the machine\u2019s other work before the load, and took it from the cores', () => {
    const { model } = report;
    expect(model.otherCores).toBeGreaterThanOrEqual(0);
    expect(model.otherCores).toBeLessThanOrEqual(model.cores);
    expect(model.overheadCores).toBeGreaterThanOrEqual(model.otherCores);
    expect(model.effectiveCores).toBeCloseTo(model.cores - model.overheadCores, 2);
  });

  it('never sent ahead of the schedule: the k-th arrival comes at least k gaps after the start', () => {
    const start = Date.parse(report.startedAt);
    const early = arrivals.filter((at, k) => at < start + k * GAP_MS - ROUNDING_MS);
    expect(early, 'arrivals ahead of their time').toEqual([]);
    const lags = arrivals.map((at, k) => at - (start + k * GAP_MS)).sort((a, b) => a - b);
    console.info(
      `open loop at ${RATE} req/s: arrival after its intended time, median ${lags[lags.length >> 1]} ms, max ${lags.at(-1)} ms; ${report.openLoop.late} sent late`,
    );
  });

  it('reports the latency from the intended start beside the one from the actual send', () => {
    const { latencyMs, openLoop } = report;
    // A request is answered after it was sent, and sent no earlier than it was due.
    expect(openLoop.sentLatencyMs.p50).toBeGreaterThan(0);
    expect(openLoop.sentLatencyMs.p50).toBeLessThanOrEqual(latencyMs.p50);
    expect(openLoop.sentLatencyMs.max).toBeLessThanOrEqual(latencyMs.max);
  });
});

// A replica frozen for 2 s halfway through: the requests due meanwhile wait for the two
// connections that went to it, so counted from their intended start they show the pause, while
// counted from their send only the few sent to the frozen replica do (README, "Benchmarking").
describe('make chaos CHAOS=pause PAUSE=2 with RATE=50: the pause shows in the intended-start latency', () => {
  let reports: string;
  let report: OpenLoopReport;

  beforeAll(async () => {
    reports = await mkdtemp(join(tmpdir(), 'hello-lab-open-loop-pause-'));
    await make('scale', 'N=3');
    // 500 requests on two connections: at most a few are sent to the frozen replica, under the
    // 1 % that p99 leaves out; the 100 due during the pause all wait.
    // As the README has it, with the reports in a folder of the test's own.
    await make(
      'chaos',
      'CHAOS=pause',
      'PAUSE=2',
      `RATE=${RATE}`,
      'CONNECTIONS=2',
      'DURATION=10',
      `REPORTS=${reports}`,
    );
    report = JSON.parse(await readFile(join(reports, 'bench-latest.json'), 'utf8'));
  });

  afterAll(async () => {
    await rm(reports, { recursive: true, force: true });
  });

  it('answered every request, after the pause', () => {
    expect(report.openLoop.scheduled).toBe(RATE * 10);
    expect(report.requests.ok).toBe(report.openLoop.scheduled);
  });

  it('shows the 2 s in the latency from the intended start, and far less in the one from the send', () => {
    const { latencyMs, openLoop } = report;
    // The requests due as the pause began waited for most of it, whatever the machine's speed.
    expect(latencyMs.p99).toBeGreaterThanOrEqual(1000);
    expect(openLoop.maxLagMs).toBeGreaterThanOrEqual(1000);
    expect(openLoop.sentLatencyMs.p99).toBeLessThan(latencyMs.p99);
    // Both connections were held, so the requests due meanwhile left late: about 100 of them.
    expect(openLoop.late).toBeGreaterThanOrEqual(RATE);
    console.info(
      `pause of 2 s at ${RATE} req/s: p99 ${latencyMs.p99} ms from the intended start, ${openLoop.sentLatencyMs.p99} ms from the send; ${openLoop.late} sent late`,
    );
  });
});
