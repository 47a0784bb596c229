import { describe, expect, it } from 'vitest';
import { bar, eventLines, failedLine, renderText, table, wrap } from '../src/render-text.js';
import type { ReplicaFigures } from '../src/replicas.js';
import { loadFixture, onNodes, workOnly } from './fixture.js';

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

  it('says how many requests failed, out of all of them, right under the heading', () => {
    // 10 non-2xx answers and 2 requests without an answer (one of them timed out), of 3460 + 2
    expect(lines[2]).toBe(' failed 12 of 3462 requests (0.35%): 10 non-2xx answers, 2 errors (1 timeout)');
  });

  it('lists the events at their time from the start, one line each', () => {
    expect(text).toContain(
      [
        'Events (5)',
        ' +3.0 s  rollout-start  v1 -> v2, 3 replicas, one at a time',
        ' +4.2 s  kill           hello-lab-hello-2 (SIGKILL)',
        ' +4.4 s  rollout-step   hello-lab-hello-1 on v2 & ready',
        ' +5.6 s  recovered      hello-lab-hello-2 <healthy>',
        ' +8.1 s  rollout-done   3 of 3 replicas on v2',
        '',
        'Hostnames (3 replicas)',
      ].join('\n'),
    );
  });

  it('has no events section for a run without events', () => {
    const quiet = renderText({ ...result, events: [] });
    expect(quiet).not.toContain('Events');
    expect(quiet).toContain(' service time 5.20 ms of CPU per answer');
    expect(quiet.split('\n')).toHaveLength(lines.length - 7);
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

  it('has a table per replica: answers, share, latency and the non-2xx by status', () => {
    expect(text).toContain(
      [
        'Per replica',
        ' replica       answers  share  p50      p99       non-2xx  by status',
        ' 4f1c2a9b7d3e  1153     33.3%  54.2 ms  98.3 ms   0',
        ' 9a0b8c7d6e5f  1151     33.3%  55.1 ms  101.4 ms  0',
        ' c3d2e1f0a9b8  1146     33.1%  56.3 ms  121.7 ms  0',
        ' (none)        10       0.3%   1.20 ms  3.40 ms   10       502: 10',
        '',
        'Versions',
      ].join('\n'),
    );
  });

  it("adds an open loop's p99 from the send per replica, and keeps a long hostname within 100 columns", () => {
    const long = 'hello-lab_hello.3.k2x9q0w8e7r6t5y4u3i2';
    const [slow, ...rest] = result.replicas;
    const open = renderText({
      ...result,
      loop: 'open',
      openLoop: {
        arrivals: 'constant',
        rate: 350,
        scheduled: 3462,
        late: 0,
        maxLagMs: 0,
        sentLatencyMs: { ...result.latencyMs, p99: 80 },
      },
      replicas: [
        {
          ...(slow as ReplicaFigures),
          hostname: long,
          non2xx: 3,
          statusCodes: { 200: 1150, 500: 2, 503: 1 },
        },
        ...rest,
      ].map((replica) => ({ ...replica, sentLatencyMs: { p50: 40.5, p99: 72.25, max: 99 } })),
    });
    const table = open.slice(open.indexOf('Per replica'), open.indexOf('Versions')).split('\n');
    expect(table.slice(0, 3)).toEqual([
      'Per replica',
      ' replica                       answers  share  p50      p99       sent p99  non-2xx  by status',
      ' hello-lab_hello.3.k2x9q0w8e~  1153     33.3%  54.2 ms  98.3 ms   72.3 ms   3        500: 2, 503: 1',
    ]);
    expect(table).toContain(" latency from each request's intended start; sent: from its actual send");
    for (const line of table) expect(line.length).toBeLessThanOrEqual(100);
  });

  it('counts the answers by node on a cluster, and has no such section on one machine', () => {
    expect(renderText(onNodes(result))).toContain(
      [
        'Nodes (2 nodes)',
        ` node-1  ${'█'.repeat(20)}${'░'.repeat(10)}  2304   66.6%`,
        ` node-2  ${'█'.repeat(10)}${'░'.repeat(20)}  1146   33.1%`,
        ` (none)  ${'░'.repeat(30)}    10    0.3%`,
      ].join('\n'),
    );
    expect(text).not.toContain('Nodes');
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

  it('shows the other work on the machine beside the load generator and the proxy, when there was any', () => {
    const busy = renderText({ ...result, model: { ...result.model, otherCores: 0.4, effectiveCores: 1.29 } });
    expect(busy).toContain(
      ' cores     2 - 0.21 load generator - 0.1 proxy - 0.40 other work = 1.29 left for the replicas',
    );
    // none, and a result from before other work was counted, read the same
    const idle = renderText({ ...result, model: { ...result.model, otherCores: 0 } });
    expect(idle).toBe(text);
    expect(result.model.otherCores).toBeUndefined();
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

describe('failedLine', () => {
  const requests = { total: 4521, ok: 4521, non2xx: 0, errors: 0, timeouts: 0, sent: 4521 };
  it.each<[Partial<typeof requests>, string]>([
    [{}, 'failed 0 of 4521 requests'],
    [{ ok: 4520, non2xx: 1 }, 'failed 1 of 4521 requests (0.02%): 1 non-2xx answer, 0 errors'],
    [{ errors: 3 }, 'failed 3 of 4524 requests (0.07%): 0 non-2xx answers, 3 errors'],
    [
      { total: 0, ok: 0, errors: 5, timeouts: 5 },
      'failed 5 of 5 requests (100.00%): 0 non-2xx answers, 5 errors (5 timeouts)',
    ],
    [{ total: 0, ok: 0 }, 'failed 0 of 0 requests'],
  ])('%j -> %s', (change, expected) => {
    expect(failedLine({ requests: { ...requests, ...change } })).toBe(expected);
  });
});

describe('eventLines', () => {
  const event = (atSeconds: number, kind: string, detail: string) => ({
    time: new Date(Date.UTC(2026, 10, 26, 17) + atSeconds * 1000).toISOString(),
    atSeconds,
    kind,
    detail,
  });

  it('is empty without events', () => {
    expect(eventLines([])).toEqual([]);
  });

  it('lines up the times on the right and the kinds on the left', () => {
    expect(
      eventLines([event(2, 'pause', 'hello-lab-hello-3'), event(12.34, 'unpause', ''), event(120, 'x', 'y')]),
    ).toEqual([
      'Events (3)',
      '   +2.0 s  pause    hello-lab-hello-3',
      '  +12.3 s  unpause',
      ' +120.0 s  x        y',
      '',
    ]);
  });

  it('cuts a long detail to keep the line within 100 columns', () => {
    const [, cut] = eventLines([event(1, 'kill', 'a'.repeat(200))]);
    expect(cut).toHaveLength(100);
    expect(cut?.endsWith('a~')).toBe(true);
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
