// Overload without collapse: far more requests in flight than the replicas can answer in time.
// Every request is either run once or refused with 503 and Retry-After; none is given up on by
// nginx and run again elsewhere. The control, with the queue's bound off, shows the work done twice.
//
// The replicas are made 20 times slower (make sick MODE=slow FACTOR=20), so that 1000 connections
// queue well over nginx's 12 s read timeout on any machine (333 loops of at least 60 ms each per
// replica, at least 20 s), while the bench stays small. The figures of a real overload (goodput
// at 1000 and 3000 clients) are benchmark output: docs/performance.md, "Overload".
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compose, eventually, labEnv, make, run } from './lab.js';

/** One request as nginx logged it (nginx/nginx.conf, log_format json). */
interface LogLine {
  request: string;
  status: number;
  upstream: string;
  retry_after: string;
}

interface Report {
  requests: { total: number };
}

const CONNECTIONS = 1000;
// The first requests time out at nginx 12 s after they were sent, in the control: within the run.
const DURATION = 16;

let reports: string;
beforeAll(async () => {
  reports = await mkdtemp(join(tmpdir(), 'hello-lab-overload-'));
});
afterAll(async () => {
  await rm(reports, { recursive: true, force: true });
});

/** The replicas again, with `env` (QUEUE_MAX_WAIT_MS=0 for the control) or the defaults. */
const recreateReplicas = (env: Record<string, string> = {}) =>
  run('docker', ['compose', 'up', '-d', '--wait', '--no-deps', 'hello'], { ...labEnv, ...env });

async function slowEveryReplica(): Promise<void> {
  const { stdout } = await compose('ps', '-q', 'hello');
  const count = stdout.split('\n').filter(Boolean).length;
  for (let replica = 1; replica <= count; replica++) {
    await make('sick', `REPLICA=${replica}`, 'MODE=slow', 'FACTOR=20');
  }
}

/**
 * A bench of CONNECTIONS against the slowed replicas, and the GET / lines nginx logged meanwhile:
 * every line of the run, the ones of requests still in flight when it ended included (nginx
 * logs those as 499 once the load generator closes their connections).
 */
async function overload(): Promise<LogLine[]> {
  const since = new Date(Date.now() - 1000).toISOString();
  await make('bench', `CONNECTIONS=${CONNECTIONS}`, `DURATION=${DURATION}`, `REPORTS=${reports}`);
  const report = JSON.parse(await readFile(join(reports, 'bench-latest.json'), 'utf8')) as Report;
  let lines: LogLine[] = [];
  const logged = async () => {
    const { stdout } = await compose('logs', '--no-log-prefix', '--since', since, 'nginx');
    lines = stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as LogLine)
      .filter((line) => line.request.startsWith('GET / '));
    return lines.length >= report.requests.total;
  };
  // nginx writes its log in buffers, flushed every second.
  expect(await eventually(logged, 30_000, 1000)).toBe(true);
  return lines;
}

/** The replicas nginx tried for one request: "a, b" when it moved on, "a : b" across passes. */
const attempts = (line: LogLine) => line.upstream.split(/, | : /).filter((part) => part.trim()).length;
const attemptsPerRequest = (lines: LogLine[]) =>
  lines.reduce((sum, line) => sum + attempts(line), 0) / lines.length;

describe('overload: 1000 connections against replicas that answer a few dozen a second', () => {
  beforeAll(async () => {
    await slowEveryReplica();
  }, 120_000);
  afterAll(async () => {
    await make('heal');
  });

  it('runs each request once or refuses it at once with 503 and Retry-After', async () => {
    const lines = await overload();
    const statuses = new Set(lines.map((line) => line.status));
    // Answered, refused, or still waiting when the run ended: never a timeout, never a 502.
    expect([...statuses].every((status) => [200, 503, 499].includes(status))).toBe(true);
    const refusals = lines.filter((line) => line.status === 503);
    expect(refusals.length).toBeGreaterThan(0);
    for (const line of refusals) expect(Number(line.retry_after)).toBeGreaterThanOrEqual(1);
    const ratio = attemptsPerRequest(lines);
    console.info(
      `overload: ${lines.length} requests, ${refusals.length} refused, ${ratio.toFixed(4)} attempts per request`,
    );
    expect(ratio).toBeLessThanOrEqual(1.01);
  }, 180_000);
});

describe('control: the same overload with no bound on the queue (QUEUE_MAX_WAIT_MS=0)', () => {
  beforeAll(async () => {
    await recreateReplicas({ QUEUE_MAX_WAIT_MS: '0' });
    await slowEveryReplica();
  }, 180_000);
  afterAll(async () => {
    // New replicas with every default: neither the setting nor the sickness stays.
    await recreateReplicas();
  }, 180_000);

  it('has nginx give up on queued requests and run them again on another replica', async () => {
    const lines = await overload();
    expect(lines.some((line) => line.status === 503)).toBe(false);
    const ratio = attemptsPerRequest(lines);
    console.info(
      `control, no queue bound: ${lines.length} requests, ${ratio.toFixed(4)} attempts per request`,
    );
    expect(ratio).toBeGreaterThan(1.01);
  }, 180_000);
});
