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
