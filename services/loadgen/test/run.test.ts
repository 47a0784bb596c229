import { once } from 'node:events';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { malformedWarning } from '../src/events.js';
import { DEFAULTS, type Options } from '../src/options.js';
import type { BenchResult } from '../src/result.js';
import {
  type Progress,
  RunAbortedError,
  runBenchmark,
  TargetUnreachableError,
  WARMUP_CONNECTIONS,
} from '../src/run.js';
import { countSent, type Sent, startHello, startPausing, startRoundRobin, stopAll } from './targets.js';

afterEach(stopAll);

const LONG = 180_000;

function options(url: string, more: Partial<Options> = {}): Options {
  return { ...DEFAULTS, url, amount: 600, connections: 10, warmup: 0, cores: 2, proxyCores: 0, ...more };
}

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

/** Every answer is counted once by hostname, once by version, and as autocannon counts it. */
function expectCountsAddUp(result: BenchResult): void {
  const { total, ok, non2xx, errors } = result.requests;
  expect(sum(result.hostnames)).toBe(total);
  expect(sum(result.versions)).toBe(total);
  expect(ok + non2xx).toBe(total);
  const over = (field: 'requests' | 'non2xx' | 'errors') =>
    result.timeline.reduce((n, second) => n + second[field], 0);
  expect(over('requests')).toBe(total + errors);
  expect(over('non2xx')).toBe(non2xx);
  expect(over('errors')).toBe(errors);
  const perSecond: Record<string, number> = {};
  for (const second of result.timeline) {
    for (const [name, count] of Object.entries(second.hostnames))
      perSecond[name] = (perSecond[name] ?? 0) + count;
  }
  expect(perSecond).toEqual(result.hostnames);
  // and once per replica: the same answers, the same non-2xx, shares that add up to 1
  const replicas = Object.fromEntries(result.replicas.map((replica) => [replica.hostname, replica.answers]));
  expect(replicas).toEqual(result.hostnames);
  expect(result.replicas.reduce((n, replica) => n + replica.non2xx, 0)).toBe(non2xx);
  expect(result.replicas.reduce((n, replica) => n + replica.share, 0)).toBeCloseTo(1, 3);
  for (const replica of result.replicas)
    expect(replica.sentLatencyMs === null).toBe(result.openLoop === null);
}

/** Each replica's answers outside 2xx by status, from what the stand-in sent. */
function non2xxSent(sent: readonly Sent[]): Record<string, Record<string, number>> {
  const byReplica: Record<string, Record<string, number>> = {};
  for (const { hostname = '(none)', status } of sent) {
    if (status < 300) continue;
    const statuses = byReplica[hostname] ?? {};
    statuses[status] = (statuses[status] ?? 0) + 1;
    byReplica[hostname] = statuses;
  }
  return byReplica;
}

describe('runBenchmark against a stand-in proxy over three replicas', () => {
  it(
    'counts exactly what was sent, by hostname and version, 502s under (none)',
    async () => {
      const target = await startRoundRobin();
      const result = await runBenchmark(options(target.url));
      // The first request the target saw is the reachability check, before any load.
      const load = target.sent.slice(1);
      expect(load).toHaveLength(600);
      expect(result.requests).toMatchObject({ total: 600, ok: 540, non2xx: 60, errors: 0, timeouts: 0 });
      expect(result.hostnames).toEqual(countSent(load, 'hostname'));
      expect(result.versions).toEqual(countSent(load, 'version'));
      expect(result.statusCodes).toEqual({ 200: 540, 502: 60 });
      expect(result.workMs).toEqual({ mean: 0.5, count: 600 });
      expect(result.cpuMs).toEqual({ mean: 0.25, count: 600 });
      expect(result.model).toMatchObject({ serviceTimeMs: 0.25, serviceTimeFrom: 'cpu' });
      expectCountsAddUp(result);
      expect(result.model.replicas).toBe(3);
      expect(result.throughputRps).toBeGreaterThan(0);
      // No --other-cores: the machine's other work was measured before the load.
      expect(result.options.otherCores).toBeNull();
      expect(result.model.otherCores).toBeGreaterThanOrEqual(0);
    },
    LONG,
  );

  it(
    'keeps every header with its own answer when requests are pipelined',
    async () => {
      const target = await startRoundRobin();
      const result = await runBenchmark(options(target.url, { pipelining: 4 }));
      const load = target.sent.slice(1);
      // --amount counts answers: 600 came back, although autocannon sent a few more (see run.ts).
      expect(result.requests.total).toBe(600);
      expect(load.length).toBeGreaterThanOrEqual(600);
      // The 502s are the answers without X-Hostname: had a header gone with the wrong answer,
      // these two counts would differ.
      expect(result.requests.non2xx).toBeGreaterThan(0);
      expect(result.hostnames['(none)']).toBe(result.requests.non2xx);
      expect(result.versions['(none)']).toBe(result.requests.non2xx);
      expectCountsAddUp(result);
    },
    LONG,
  );

  it('sends no load when stopped before it starts, while measuring the other work', async () => {
    const target = await startRoundRobin();
    const controller = new AbortController();
    controller.abort();
    await expect(runBenchmark(options(target.url), { signal: controller.signal })).rejects.toThrowError(
      new RunAbortedError('stopped before the measurement started'),
    );
    // only the reachability check
    expect(target.sent).toHaveLength(1);
  });

  it(
    'stops when asked and still reports what it measured',
    async () => {
      const target = await startRoundRobin();
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 2500);
      const progress: Progress[] = [];
      const result = await runBenchmark(options(target.url, { amount: null, duration: 30, rate: 200 }), {
        signal: controller.signal,
        onProgress: (update) => progress.push(update),
      });
      expect(result.interrupted).toBe(true);
      expect(result.loop).toBe('open');
      expect(result.requests.total).toBeGreaterThan(0);
      expectCountsAddUp(result);
      // about once a second: the measurement's phase, its errors and the answers in that second
      expect(progress.length).toBeGreaterThanOrEqual(2);
      expect(progress[1]).toMatchObject({ phase: 'measure', errors: 0 });
      expect(progress.reduce((sum, p) => sum + p.requestsPerSecond, 0)).toBeLessThanOrEqual(
        result.requests.total,
      );
    },
    LONG,
  );
});

describe.each([
  ['closed', { amount: 300 }],
  ['open', { amount: 300, rate: 300 }],
] as const)('runBenchmark, a %s loop, against a slow replica and a failing one', (_loop, more) => {
  it(
    'shows the slow one with the higher p99 and the failing one with its 500s',
    async () => {
      // Held 100 ms, the slow replica's every answer takes longer than that; the others answer
      // at once, so only a machine stalled for most of 100 ms at a time could bring them near it.
      const target = await startRoundRobin({ slow: { name: 'gamma', slowMs: 100 }, failing: 'beta' });
      const result = await runBenchmark(options(target.url, more));
      const load = target.sent.slice(1);
      expectCountsAddUp(result);
      const replicas = Object.fromEntries(result.replicas.map((replica) => [replica.hostname, replica]));
      const { alpha, beta, gamma } = replicas;
      for (const other of [alpha, beta]) {
        expect(gamma?.latencyMs.p99).toBeGreaterThan(other?.latencyMs.p99 ?? Infinity);
      }
      expect(gamma?.latencyMs.p50).toBeGreaterThanOrEqual(95);
      const failed = non2xxSent(load);
      expect(failed.beta?.[500]).toBeGreaterThan(0);
      for (const replica of result.replicas) {
        const statuses = Object.fromEntries(
          Object.entries(replica.statusCodes).filter(([status]) => !status.startsWith('2')),
        );
        expect(statuses).toEqual(failed[replica.hostname] ?? {});
      }
      expect(replicas['(none)']?.statusCodes).toEqual({ 502: replicas['(none)']?.non2xx });
    },
    LONG,
  );
});

describe('runBenchmark with --rate: the open loop', () => {
  it(
    'sends what the schedule holds, counts each answer once, and keeps both latencies',
    async () => {
      const target = await startRoundRobin();
      const result = await runBenchmark(options(target.url, { amount: 300, rate: 400, arrivals: 'poisson' }));
      expect(result.loop).toBe('open');
      expect(result.openLoop).toMatchObject({ arrivals: 'poisson', rate: 400, scheduled: 300 });
      expect(target.sent.slice(1)).toHaveLength(300);
      expect(result.requests).toMatchObject({ total: 300, ok: 270, non2xx: 30, errors: 0, sent: 300 });
      expect(result.hostnames).toEqual(countSent(target.sent.slice(1), 'hostname'));
      expectCountsAddUp(result);
      // A request cannot be answered before it was sent, nor sent before it was due.
      const sent = result.openLoop?.sentLatencyMs;
      expect(sent?.p50).toBeLessThanOrEqual(result.latencyMs.p50);
      expect(sent?.max).toBeLessThanOrEqual(result.latencyMs.max);
    },
    LONG,
  );

  it(
    'shows a paused replica in the latency from the intended start, far less in the one from the send',
    async () => {
      // Two connections: during the pause two requests wait on the replica and every later one
      // waits in the client, unsent, and leaves late.
      const target = await startPausing(100, 1000);
      const result = await runBenchmark(
        options(target.url, { amount: 600, rate: 200, connections: 2, arrivals: 'constant' }),
      );
      const open = result.openLoop;
      expect(result.requests.total).toBe(600);
      expect(open?.late).toBeGreaterThan(100);
      expect(open?.maxLagMs).toBeGreaterThan(500);
      // The pause is 1000 ms: a sixth of the requests were due in its first half and waited over
      // 500 ms from their time, however fast the machine; once sent, all but two answer at once.
      expect(result.latencyMs.p99).toBeGreaterThan(500);
      expect(result.latencyMs.p99).toBeGreaterThan(open?.sentLatencyMs.p99 ?? Infinity);
    },
    LONG,
  );
});

describe('runBenchmark with an events file', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  const eventLine = (timeMs: number, kind: string, detail: string) =>
    `${JSON.stringify({ time: new Date(timeMs).toISOString(), kind, detail })}\n`;

  it(
    'keeps the events appended during the measurement, placed from its start',
    async () => {
      const target = await startRoundRobin();
      const dir = await mkdtemp(join(tmpdir(), 'loadgen-events-'));
      dirs.push(dir);
      const events = join(dir, 'events.jsonl');
      // Left by earlier runs: an event of yesterday and a line that is not one.
      await writeFile(events, `${eventLine(Date.now() - 86_400_000, 'kill', 'yesterday')}not json\n`);

      let measureStartMs: number | undefined;
      const written: Record<string, number> = {};
      const pending: Array<Promise<void>> = [];
      const append = (kind: string, detail: string, timeMs = Date.now()) => {
        written[kind] = timeMs;
        pending.push(appendFile(events, eventLine(timeMs, kind, detail)));
      };
      const warnings: string[] = [];
      const result = await runBenchmark(
        options(target.url, { amount: null, duration: 3, rate: 200, warmup: 0.5, events }),
        {
          onProgress: ({ phase }) => {
            if (phase === 'warm-up' && written.pause === undefined) append('pause', 'in the warm-up');
            if (phase !== 'measure' || measureStartMs !== undefined) return;
            measureStartMs = Date.now();
            // one for the next run, an hour from now
            append('rollout-done', 'later', measureStartMs + 3_600_000);
            setTimeout(() => append('kill', 'hello-lab-hello-2 (SIGKILL)'), 1000);
            setTimeout(() => append('recovered', 'hello-lab-hello-2'), 2000);
          },
          onWarning: (message) => warnings.push(message),
        },
      );
      await Promise.all(pending);

      expect(result.events.map(({ kind, detail }) => [kind, detail])).toEqual([
        ['kill', 'hello-lab-hello-2 (SIGKILL)'],
        ['recovered', 'hello-lab-hello-2'],
      ]);
      for (const event of result.events) {
        const writtenMs = written[event?.kind ?? ''] ?? Number.NaN;
        expect(event?.time).toBe(new Date(writtenMs).toISOString());
        // placed from the start of the measurement the result states, to the millisecond
        expect(event?.atSeconds).toBeCloseTo((writtenMs - Date.parse(result.startedAt)) / 1000, 2);
      }
      // In the order they were written, whatever the machine's speed put between them.
      expect(result.events[0]?.atSeconds).toBeLessThanOrEqual(result.events[1]?.atSeconds ?? Number.NaN);
      expect(warnings).toEqual([malformedWarning(events, [2])]);
      expect(result.timeline.length).toBeGreaterThanOrEqual(3);
      expectCountsAddUp(result);
    },
    LONG,
  );

  it('runs as before without an events file', async () => {
    const target = await startRoundRobin();
    const warnings: string[] = [];
    const result = await runBenchmark(
      options(target.url, { amount: 100, events: join(tmpdir(), 'loadgen-no-such-dir', 'events.jsonl') }),
      { onWarning: (message) => warnings.push(message) },
    );
    expect(result.events).toEqual([]);
    expect(warnings).toEqual([]);
  });
});

describe('runBenchmark: the warm-up', () => {
  it('opens a few connections only, so that it leaves little queued work behind when it stops', async () => {
    // A plain server on loopback that counts the connections opened before and after the
    // measured phase began.
    let measuring = false;
    const opened = { warmUp: 0, measure: 0 };
    const server = createServer((_request, response) => response.end('ok'));
    server.on('connection', () => {
      opened[measuring ? 'measure' : 'warmUp'] += 1;
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    try {
      const result = await runBenchmark(
        options(`http://127.0.0.1:${port}/`, { connections: 40, amount: 400, warmup: 0.3, otherCores: 0 }),
        {
          onMeasureStart: () => {
            measuring = true;
          },
        },
      );
      expect(result.requests).toMatchObject({ total: 400, ok: 400 });
      // The reachability check's connection, then the warm-up's, then the measured run's 40.
      expect(opened).toEqual({ warmUp: 1 + WARMUP_CONNECTIONS, measure: 40 });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('runBenchmark against real hello processes', () => {
  it(
    'counts each replica and version, and reads a plausible service time',
    async () => {
      const [v1, v2] = await Promise.all([startHello('1'), startHello('2')]);
      for (const [url, version] of [
        [v1, '1'],
        [v2, '2'],
      ] as const) {
        // The warm-up sends load too; exactly 600 answers counted means none of it was. No other
        // work: another test worker may be busy meanwhile, which a measured one would take as such.
        const result = await runBenchmark(options(url, { warmup: 0.5, otherCores: 0 }));
        expect(result.requests).toMatchObject({ total: 600, ok: 600, non2xx: 0, errors: 0, timeouts: 0 });
        expect(result.hostnames).toEqual({ [hostname()]: 600 });
        expect(result.versions).toEqual({ [version]: 600 });
        expectCountsAddUp(result);
        // 100 000 iterations of the busy loop: well under a millisecond, but not nothing.
        expect(result.workMs.count).toBe(600);
        expect(result.workMs.mean).toBeGreaterThan(0);
        // and its CPU time, which the model takes as S
        expect(result.cpuMs.count).toBe(600);
        expect(result.cpuMs.mean).toBeGreaterThan(0);
        expect(result.cpuMs.mean).toBeLessThanOrEqual((result.workMs.mean ?? 0) * 1.5 + 1);
        expect(result.model.serviceTimeFrom).toBe('cpu');
        expect(result.model.serviceTimeMs).toBeCloseTo(result.cpuMs.mean ?? Number.NaN, 3);
        expect(result.latencyMs.max).toBeGreaterThanOrEqual(result.latencyMs.p99);
        expect(result.latencyMs.p99).toBeGreaterThanOrEqual(result.latencyMs.p50);
        expect(result.model.capacityRps).toBeGreaterThan(0);
        expect(result.model.otherCores).toBe(0);
        expect(result.model.predictedLatencyMs).toBeGreaterThan(0);
        expect(result.loadgenCores).toBeGreaterThan(0);
        expect(Date.parse(result.finishedAt)).toBeGreaterThan(Date.parse(result.startedAt));
      }
    },
    LONG,
  );

  it('fails at once, in one line, when nothing listens', async () => {
    const target = await startRoundRobin();
    await stopAll();
    await expect(runBenchmark(options(target.url))).rejects.toThrowError(
      new TargetUnreachableError(`cannot reach ${target.url}: ECONNREFUSED`),
    );
  });
});
