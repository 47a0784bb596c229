import { describe, expect, it } from 'vitest';
import { type SweepResult, sweepResult } from '../src/sweep-result.js';
import { loadFixture, type SweepRunSpec, sweepRun } from './fixture.js';

/** Runs with 1, 2, 3 ... replicas, a throughput and a p99 each, on the same cores left. */
function runs(throughputs: number[], p99s: number[], effectiveCores: number) {
  return throughputs.map((throughputRps, i) =>
    sweepRun({ replicas: i + 1, throughputRps, p99Ms: p99s[i] ?? 100, effectiveCores }),
  );
}

describe('sweepResult: the rows', () => {
  // Given out of order, as a shell glob over replicas-1 ... replicas-10 would give them.
  const sweep = sweepResult([
    sweepRun({ replicas: 3, throughputRps: 330, p99Ms: 104 }),
    sweepRun({ replicas: 1, throughputRps: 180, p99Ms: 60 }),
    sweepRun({ replicas: 2, throughputRps: 320, p99Ms: 62 }),
  ]);

  it('has one row per run, ordered by the replicas seen, with the numbers of each run', () => {
    expect(sweep.rows).toEqual([
      {
        label: '1 replicas',
        replicas: 1,
        throughputRps: 180,
        latencyMs: { p50: 55, p99: 60 },
        // 10 non-2xx + 2 errors; the fixture's 1 timeout is one of autocannon's errors already
        errors: 12,
        model: { capacityRps: 192.31, effectiveCores: 1.69, throughputRatio: 0.936, limit: 'replicas' },
        speedUp: 1,
        startedAt: '2026-11-26T16:30:00.000Z',
      },
      {
        label: '2 replicas',
        replicas: 2,
        throughputRps: 320,
        latencyMs: { p50: 55, p99: 62 },
        errors: 12,
        model: { capacityRps: 325, effectiveCores: 1.69, throughputRatio: 0.985, limit: 'cores' },
        speedUp: 1.778,
        startedAt: '2026-11-26T16:31:00.000Z',
      },
      {
        label: '3 replicas',
        replicas: 3,
        throughputRps: 330,
        latencyMs: { p50: 55, p99: 104 },
        errors: 12,
        model: { capacityRps: 325, effectiveCores: 1.69, throughputRatio: 1.015, limit: 'cores' },
        speedUp: 1.833,
        startedAt: '2026-11-26T16:32:00.000Z',
      },
    ]);
  });

  it('spans the first start to the last finish, and keeps the load options of the runs', () => {
    expect(sweep.startedAt).toBe('2026-11-26T16:30:00.000Z');
    expect(sweep.finishedAt).toBe('2026-11-26T16:32:10.004Z');
    expect(sweep.options).toEqual({
      url: 'http://nginx:8080/',
      duration: 10,
      amount: null,
      connections: 20,
      pipelining: 1,
      warmup: 1,
      rate: null,
      cores: 2,
      proxyCores: 0.1,
    });
    expect(sweep.mixedOptions).toEqual([]);
  });

  it('names the options the runs do not share', () => {
    const [one, two] = runs([180, 320], [], 1.69) as [
      ReturnType<typeof sweepRun>,
      ReturnType<typeof sweepRun>,
    ];
    const mixed = sweepResult([one, { ...two, options: { ...two.options, connections: 40, duration: 5 } }]);
    expect(mixed.mixedOptions).toEqual(['--duration', '--connections']);
    expect(mixed.options.connections).toBe(20);
  });

  it.each<[string, SweepRunSpec[], Array<number | null>]>([
    [
      'no 1-replica run: no speed-up',
      [
        { replicas: 2, throughputRps: 300 },
        { replicas: 3, throughputRps: 320 },
      ],
      [null, null],
    ],
    [
      'a 1-replica run with no throughput: no speed-up',
      [
        { replicas: 1, throughputRps: 0 },
        { replicas: 2, throughputRps: 300 },
      ],
      [null, null],
    ],
    [
      'a run where no replica answered comes first, and is measured against 1 replica too',
      [
        { replicas: 1, throughputRps: 200 },
        { replicas: 0, throughputRps: 50 },
      ],
      [0.25, 1],
    ],
    [
      'runs that saw as many replicas keep the order they were given in',
      [
        { replicas: 2, throughputRps: 300 },
        { replicas: 1, throughputRps: 150 },
        { replicas: 2, throughputRps: 240 },
      ],
      [1, 2, 1.6],
    ],
  ])('%s', (_, specs, speedUps) => {
    expect(sweepResult(specs.map(sweepRun)).rows.map((row) => row.speedUp)).toEqual(speedUps);
  });

  it('needs at least one run', () => {
    expect(() => sweepResult([])).toThrowError(RangeError);
  });

  it('reads the replicas from the hostnames, leaving out answers without one', () => {
    const fixture = loadFixture(); // three hostnames and "(none)"
    expect(sweepResult([fixture]).rows[0]?.replicas).toBe(3);
  });
});

describe('sweepResult: where scaling stops', () => {
  it.each<
    [string, ReturnType<typeof sweepRun>[], Pick<SweepResult['scaling'], 'verdict' | 'stopsAt'>, string]
  >([
    [
      'the cores run out, and p99 rises after',
      runs([180, 320, 330, 326], [60, 62, 104, 150], 1.76),
      { verdict: 'cores', stopsAt: 2 },
      'Throughput grows with replicas up to 2 (the cores left for the replicas: 1.76); more replicas add no capacity and raise p99 latency.',
    ],
    [
      'the cores run out, and p99 stays within 10 %',
      runs([180, 320, 330, 326], [60, 62, 66, 68.2], 1.76),
      { verdict: 'cores', stopsAt: 2 },
      'Throughput grows with replicas up to 2 (the cores left for the replicas: 1.76); more replicas add no capacity.',
    ],
    [
      'less than one core left: one replica is all it takes',
      runs([150, 152, 149], [60, 110, 160], 0.8),
      { verdict: 'cores', stopsAt: 1 },
      'Throughput does not grow beyond 1 replica (the cores left for the replicas: 0.8); more replicas add no capacity and raise p99 latency.',
    ],
    [
      'exactly 10 % more still counts as growth; 9.95 % does not',
      runs([200, 220, 241.9], [50, 50, 50], 1.5),
      { verdict: 'cores', stopsAt: 2 },
      'Throughput grows with replicas up to 2 (the cores left for the replicas: 1.5); more replicas add no capacity.',
    ],
    [
      'throughput stops although cores are left: the model names the limit of the next run',
      [
        sweepRun({ replicas: 1, throughputRps: 180, effectiveCores: 3.6 }),
        sweepRun({ replicas: 2, throughputRps: 340, effectiveCores: 3.6 }),
        sweepRun({ replicas: 3, throughputRps: 350, effectiveCores: 3.6, limit: 'load generator' }),
      ],
      { verdict: 'elsewhere', stopsAt: 2 },
      "Throughput stops growing after 2 replicas, though the cores left for the replicas (3.6) could take more; the model's limit at 3 replicas: load generator.",
    ],
    [
      'throughput grows at every step',
      runs([180, 340, 500], [60, 60, 60], 3.6),
      { verdict: 'still growing', stopsAt: null },
      'Throughput still grows at 3 replicas, the most in this sweep (the cores left for the replicas: 3.6); add replicas to find where it stops.',
    ],
    [
      'runs that saw as many replicas are not compared with each other',
      [
        sweepRun({ replicas: 1, throughputRps: 180, effectiveCores: 3.6 }),
        sweepRun({ replicas: 2, throughputRps: 340, effectiveCores: 3.6 }),
        sweepRun({ replicas: 2, throughputRps: 338, effectiveCores: 3.6 }),
        sweepRun({ replicas: 3, throughputRps: 500, effectiveCores: 3.6 }),
      ],
      { verdict: 'still growing', stopsAt: null },
      'Throughput still grows at 3 replicas, the most in this sweep (the cores left for the replicas: 3.6); add replicas to find where it stops.',
    ],
    [
      'one run',
      [sweepRun({ replicas: 1, throughputRps: 180 })],
      { verdict: 'one replica count', stopsAt: null },
      'Every run saw 1 replica: nothing to compare; sweep over more replica counts to see where scaling stops.',
    ],
    [
      'every run saw the same replicas (the scaling did not take)',
      [sweepRun({ replicas: 2, throughputRps: 300 }), sweepRun({ replicas: 2, throughputRps: 310 })],
      { verdict: 'one replica count', stopsAt: null },
      'Every run saw 2 replicas: nothing to compare; sweep over more replica counts to see where scaling stops.',
    ],
  ])('%s', (_, results, expected, sentence) => {
    const { scaling } = sweepResult(results);
    expect(scaling).toMatchObject(expected);
    expect(scaling.sentence).toBe(sentence);
  });

  it('takes the cores left from the run where scaling stops', () => {
    const { scaling } = sweepResult([
      sweepRun({ replicas: 1, throughputRps: 180, effectiveCores: 1.8 }),
      sweepRun({ replicas: 2, throughputRps: 320, effectiveCores: 1.764 }),
      sweepRun({ replicas: 3, throughputRps: 321, effectiveCores: 1.7 }),
    ]);
    expect(scaling.effectiveCores).toBe(1.76);
    expect(scaling.sentence).toContain('(the cores left for the replicas: 1.76)');
  });
});
