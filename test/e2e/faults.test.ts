// Faults and rollouts under load, with the lab's own commands: the figure is the number of failed
// requests in the load generator's report.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compose,
  containerIds,
  eventually,
  inspect,
  labEnv,
  make,
  PROJECT,
  ROOT,
  run,
  tally,
  withProxySwitches,
} from './lab.js';

interface Report {
  requests: { total: number; ok: number; non2xx: number; errors: number; timeouts: number };
  latencyMs: { p99: number; max: number };
  hostnames: Record<string, number>;
  versions: Record<string, number>;
  events: { kind: string; atSeconds: number; detail: string }[];
  timeline: { second: number; versions: Record<string, number> }[];
  startedAt: string;
  interrupted: boolean;
}

let reports: string;
const readReport = async (): Promise<Report> =>
  JSON.parse(await readFile(join(reports, 'bench-latest.json'), 'utf8'));
/**
 * The kinds of the events the lab's scripts wrote since `since` (ms), in order: a fault and its
 * recovery are there however long the recovery took, while the report keeps only those inside
 * its measured window.
 */
async function eventsSince(since: number): Promise<string[]> {
  const text = await readFile(join(reports, 'events.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { time: string; kind: string })
    .filter((event) => Date.parse(event.time) >= since)
    .map((event) => event.kind);
}

// autocannon counts its timeouts among its errors.
const failed = ({ requests }: Report) => requests.non2xx + requests.errors;

beforeAll(async () => {
  reports = await mkdtemp(join(tmpdir(), 'hello-lab-faults-'));
  await make('scale', 'N=3');
});

afterAll(async () => {
  await rm(reports, { recursive: true, force: true });
});

/**
 * Resolves once the bench has measured its first second: the load generator writes
 * bench-measuring.json beside the reports when it starts measuring. The deadline fires only when
 * something is broken.
 */
async function measuredFirstSecond(): Promise<void> {
  const file = join(reports, 'bench-measuring.json');
  const measuring = await eventually(
    async () => (await stat(file).catch(() => undefined)) !== undefined,
    120_000,
  );
  expect(measuring, `no ${file} within 120 s`).toBe(true);
  const { startedAt } = JSON.parse(await readFile(file, 'utf8'));
  const wait = Date.parse(startedAt) + 1500 - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}

/**
 * `make bench` in the background, as a person would run it in a second terminal, for as long as
 * `scenario` takes: once its first second is measured the scenario runs, then the bench is stopped
 * as Ctrl-C stops it, and reports what it measured. So the bench covers the whole scenario
 * however slow the machine is.
 */
async function benchWhile(scenario: () => Promise<unknown>): Promise<void> {
  const loadgen = ['ps', '-q', '--filter', `label=com.docker.compose.project=${PROJECT}`];
  loadgen.push('--filter', 'label=com.docker.compose.service=loadgen');
  // The bench's own limit: only a scenario that never ends reaches it.
  const child = spawn('make', ['--no-print-directory', 'bench', 'DURATION=600', `REPORTS=${reports}`], {
    cwd: ROOT,
    env: labEnv,
    stdio: 'ignore',
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  try {
    await measuredFirstSecond();
    await scenario();
  } finally {
    const ids = (await run('docker', loadgen)).stdout.split('\n').filter(Boolean);
    if (ids.length > 0) await run('docker', ['kill', '--signal', 'INT', ...ids]);
  }
  await exited;
  // Written by this bench, not left by an earlier one: stopped, and still reported.
  expect((await readReport()).interrupted).toBe(true);
}

describe('make rollout under load', () => {
  // The rollout builds its image before it starts; built here first, that build finds every
  // layer cached, so the rollout starts while the bench beside it still measures, however slow
  // a fresh build is on this machine.
  beforeAll(async () => {
    await make('image', 'VERSION=2');
  });

  afterAll(async () => {
    // Back to v1 for the other files, also when a test failed halfway (and nothing to do when
    // the rollback test did it: `make rollback` again would go back to v2).
    await make('rollout', 'VERSION=1');
  });

  it('replaces every v1 replica by v2 while serving, and no request fails', async () => {
    // The report's first second holds only v1: the rollout starts after it.
    await benchWhile(() => make('rollout', 'VERSION=2', `REPORTS=${reports}`));

    const replicas = await inspect(await containerIds('hello'));
    expect(replicas.map((c) => c.Config.Image)).toEqual(['hello-web:v2', 'hello-web:v2', 'hello-web:v2']);
    const report = await readReport();
    expect(failed(report)).toBe(0);
    expect(report.requests.total).toBeGreaterThan(0);
    // Both versions answered, and the mix moved from v1 to v2 over time.
    expect(report.versions['1']).toBeGreaterThan(0);
    expect(report.versions['2']).toBeGreaterThan(0);
    const answered = report.timeline.filter((s) => Object.keys(s.versions).length > 0);
    expect(Object.keys(answered[0]?.versions ?? {})).toEqual(['1']);
    expect(Object.keys(answered.at(-1)?.versions ?? {})).toContain('2');
    // Once the rollout is done, only v2 answers (when the bench outlasted the rollout).
    const done = report.events.find((e) => e.kind === 'rollout-done');
    for (const s of answered.filter((s) => done !== undefined && s.second > done.atSeconds + 1))
      expect(Object.keys(s.versions), `second ${s.second}`).toEqual(['2']);
    expect(report.events[0]?.kind).toBe('rollout-start');
    expect(await eventsSince(Date.parse(report.startedAt))).toEqual([
      'rollout-start',
      'rollout-step',
      'rollout-step',
      'rollout-step',
      'rollout-done',
    ]);
  });

  it('rolls back to v1 the same way', async () => {
    await make('rollback');
    const replicas = await inspect(await containerIds('hello'));
    expect(replicas.map((c) => c.Config.Image)).toEqual(['hello-web:v1', 'hello-web:v1', 'hello-web:v1']);
    const seen = await tally(30);
    expect(seen.statuses).toEqual({ 200: 30 });
  });
});

describe('make chaos', () => {
  it('survives SIGKILL of one of three replicas: no GET fails, it comes back, traffic is even again', async () => {
    const before = await inspect(await containerIds('hello'));
    const since = Date.now();
    const { stdout } = await make('chaos', 'CHAOS=kill', 'DURATION=10', `REPORTS=${reports}`);
    const report = await readReport();
    expect(failed(report)).toBe(0);
    // The report marks the kill; the recovery came after it, inside the run or after its end.
    expect(report.events[0]?.kind).toBe('kill');
    expect(await eventsSince(since)).toEqual(['kill', 'recovered']);
    expect(stdout).toMatch(/kill/);

    const after = await inspect(await containerIds('hello'));
    expect(after.map((c) => c.Id).sort()).toEqual(before.map((c) => c.Id).sort());
    expect(after.reduce((sum, c) => sum + c.RestartCount, 0)).toBe(
      before.reduce((sum, c) => sum + c.RestartCount, 0) + 1,
    );
    const seen = await tally(300);
    expect(Object.values(seen.hostnames)).toEqual([100, 100, 100]);
  });

  it('survives a paused (hung) replica: no request fails, and the report shows the latency it cost', async () => {
    const since = Date.now();
    // 32 s: the pause comes at 16 s, and the requests it holds end 12 s later (nginx's read
    // timeout, then another replica), inside the run even when the docker commands are slow.
    await make('chaos', 'CHAOS=pause', 'DURATION=32', `REPORTS=${reports}`);
    const report = await readReport();
    expect(failed(report)).toBe(0);
    expect(report.events[0]?.kind).toBe('pause');
    expect(await eventsSince(since)).toEqual(['pause', 'unpause']);
    // Requests that reached the frozen replica waited for nginx's 12 s read timeout, then moved on.
    expect(report.latencyMs.max).toBeGreaterThanOrEqual(11_900);
  });
});

// The zeros above are proof only if the same scenario fails without the protection that keeps it
// at zero (README, "Break it"). A SIGKILL and a pause are saved by nginx's retry on another replica
// (PROXY_RETRY=off turns it off). A rollout is saved twice over: the stopping replica drains (it
// finishes what it has, refuses the rest) and nginx retries what was refused or dropped; with one
// of the two off, the other still saves nearly every request, so the control turns both off.
describe('controls: the same faults with their protection off', () => {
  const noRetry = <T>(scenario: () => Promise<T>) => withProxySwitches({ PROXY_RETRY: 'off' }, scenario);

  it('a rollout fails requests when the replicas do not drain and nginx retries nothing', async () => {
    try {
      await make('rollout', 'VERSION=1');
      await make('up', 'DRAIN=off', 'PROXY_RETRY=off');
      await benchWhile(() => make('rollout', 'VERSION=2', `REPORTS=${reports}`));
      const report = await readReport();
      expect(report.versions).toMatchObject({ 1: expect.any(Number), 2: expect.any(Number) });
      expect(failed(report)).toBeGreaterThan(0);
      console.info(
        `control, rollout without drain and retries: ${failed(report)} of ${report.requests.total} failed`,
      );
    } finally {
      // A fresh lab: v1 (down forgets the rolled-out version) with every protection on, in one
      // start instead of a rollout back and a restart.
      await make('down');
      await make('up', 'N=3');
    }
  });

  it.each([
    ['a SIGKILL of one replica', 'kill', 10, ['kill', 'recovered']],
    // As above: its failures are timeouts, 12 s after the pause.
    ['a paused replica', 'pause', 32, ['pause', 'unpause']],
  ] as const)('%s fails requests', async (what, fault, seconds, kinds) => {
    const since = Date.now();
    await noRetry(() => make('chaos', `CHAOS=${fault}`, `DURATION=${seconds}`, `REPORTS=${reports}`));
    const report = await readReport();
    expect(report.events[0]?.kind).toBe(kinds[0]);
    expect(await eventsSince(since)).toEqual(kinds);
    expect(failed(report)).toBeGreaterThan(0);
    console.info(`control, ${what} without retries: ${failed(report)} of ${report.requests.total} failed`);
  });
});

describe('a replica with a bad setting', () => {
  it('exits with its one-line error in the logs, and the rest of the lab keeps serving', async () => {
    const before = new Set(await containerIds('hello'));
    await run(
      'docker',
      ['compose', 'up', '-d', '--no-recreate', '--no-deps', '--scale', 'hello=4', 'hello'],
      {
        ...labEnv,
        WORK_ITERATIONS: '-5',
      },
    );
    const bad = (await run('docker', ['compose', 'ps', '-aq', 'hello'])).stdout
      .split('\n')
      .filter((id) => id && !before.has(id));
    expect(bad).toHaveLength(1);
    try {
      // It stops at once; the restart policy keeps trying, and it keeps stopping.
      const crashing = await eventually(
        async () => ((await inspect(bad))[0]?.RestartCount ?? 0) >= 1,
        60_000,
      );
      expect(crashing).toBe(true);
      const { stdout: logs } = await compose('logs', '--no-log-prefix', 'hello');
      expect(logs).toContain(
        'hello: WORK_ITERATIONS="-5" is not allowed: expected a whole number from 0 to 10000000000',
      );
      expect(logs).not.toMatch(/^\s+at /m);
      const seen = await tally(60);
      expect(seen.statuses).toEqual({ 200: 60 });
      expect(Object.keys(seen.hostnames)).toHaveLength(3);
    } finally {
      await run('docker', ['rm', '-f', ...bad]);
    }
  });
});
