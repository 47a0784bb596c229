import { describe, expect, it } from 'vitest';
import { type ReplicaFigures, ReplicaTally } from '../src/replicas.js';
import { NO_HEADER } from '../src/tally.js';

interface Answer {
  hostname: string;
  status: number;
  latencyMs: number;
  sentLatencyMs?: number;
}

function tallied(answers: readonly Answer[], fromSend = false): ReplicaFigures[] {
  const tally = new ReplicaTally(fromSend);
  for (const { hostname, status, latencyMs, sentLatencyMs } of answers)
    tally.add(hostname, status, latencyMs, sentLatencyMs);
  return tally.summary();
}

/**
 * Three replicas in turn and a proxy's 502 every tenth answer: "slow" answers in 30 ms and then
 * some, "failing" gives a 500 every third of its answers, "healthy" answers in 5 ms and then some.
 */
function sickLab(count: number): Answer[] {
  return Array.from({ length: count }, (_, i): Answer => {
    const jitter = (i % 7) / 10;
    if (i % 10 === 9) return { hostname: NO_HEADER, status: 502, latencyMs: 1 + jitter };
    const hostname = ['healthy', 'slow', 'failing'][i % 3] ?? '';
    if (hostname === 'slow') return { hostname, status: 200, latencyMs: 30 + jitter };
    const status = hostname === 'failing' && i % 9 === 2 ? 500 : 200;
    return { hostname, status, latencyMs: 5 + jitter };
  });
}

const byName = (figures: readonly ReplicaFigures[]) =>
  Object.fromEntries(figures.map((replica) => [replica.hostname, replica]));

describe('ReplicaTally', () => {
  const answers = sickLab(3000);
  const figures = tallied(answers);
  const replicas = byName(figures);

  it('counts every answer once: the replicas add up to all answers, their shares to 1', () => {
    expect(figures.reduce((sum, replica) => sum + replica.answers, 0)).toBe(answers.length);
    expect(figures.reduce((sum, replica) => sum + replica.share, 0)).toBeCloseTo(1, 3);
    for (const replica of figures) {
      expect(replica.share).toBeCloseTo(replica.answers / answers.length, 4);
      const byStatus = Object.values(replica.statusCodes).reduce((sum, count) => sum + count, 0);
      expect(byStatus).toBe(replica.answers);
    }
  });

  it('lists the replicas most answers first, as the hostnames are counted, "(none)" among them', () => {
    expect(figures.map((replica) => [replica.hostname, replica.answers])).toEqual([
      ['failing', 900],
      ['healthy', 900],
      ['slow', 900],
      [NO_HEADER, 300],
    ]);
  });

  it('gives the slow replica the higher p50 and p99', () => {
    const { slow, healthy, failing } = replicas;
    for (const other of [healthy, failing]) {
      expect(slow?.latencyMs.p99).toBeGreaterThan(other?.latencyMs.p99 ?? Infinity);
      expect(slow?.latencyMs.p50).toBeGreaterThan(other?.latencyMs.p50 ?? Infinity);
    }
  });

  it('counts the non-2xx of each replica by status', () => {
    const failed = answers.filter(({ hostname, status }) => hostname === 'failing' && status === 500).length;
    expect(failed).toBeGreaterThan(0);
    expect(replicas.failing).toMatchObject({
      non2xx: failed,
      statusCodes: { 200: 900 - failed, 500: failed },
    });
    expect(replicas.healthy).toMatchObject({ non2xx: 0, statusCodes: { 200: 900 } });
    expect(replicas[NO_HEADER]).toMatchObject({ non2xx: 300, statusCodes: { 502: 300 } });
  });

  it.each<[number[], { p50: number; p99: number; max: number }]>([
    [[10], { p50: 10, p99: 10, max: 10 }],
    [Array.from({ length: 100 }, (_, i) => i + 1), { p50: 50, p99: 99, max: 100 }],
    [[0.25, 0.5, 0.75, 1234.5678], { p50: 0.5, p99: 1234.568, max: 1234.568 }],
    // past the histogram's first 60 s: it grows
    [[5, 90_000], { p50: 5, p99: 90_000, max: 90_000 }],
  ])(
    'has percentiles within 0.1 %% of the exact ones, and the exact max (to the µs): %j',
    (latencies, expected) => {
      const [figure] = tallied(latencies.map((latencyMs) => ({ hostname: 'a', status: 200, latencyMs })));
      const latency = figure?.latencyMs;
      expect(latency?.max).toBe(expected.max);
      for (const key of ['p50', 'p99'] as const) {
        expect(Math.abs((latency?.[key] ?? Infinity) - expected[key])).toBeLessThanOrEqual(
          expected[key] * 0.001 + 0.001,
        );
      }
    },
  );

  it('keeps the latency from the send only for an open loop', () => {
    expect(replicas.slow?.sentLatencyMs).toBeNull();
    const open = tallied(
      [
        { hostname: 'a', status: 200, latencyMs: 40, sentLatencyMs: 4 },
        { hostname: 'a', status: 200, latencyMs: 50, sentLatencyMs: 5 },
      ],
      true,
    );
    // from the intended start and from the send, each in its own histogram
    expect(open[0]?.latencyMs).toMatchObject({
      p50: expect.closeTo(40, 1),
      p99: expect.closeTo(50, 1),
      max: 50,
    });
    expect(open[0]?.sentLatencyMs).toMatchObject({
      p50: expect.closeTo(4, 2),
      p99: expect.closeTo(5, 2),
      max: 5,
    });
  });

  it('has no replicas before any answer', () => {
    expect(tallied([])).toEqual([]);
  });
});
