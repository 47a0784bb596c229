import { describe, expect, it } from 'vitest';
import { currentReplicas, deriveEvents } from '../src/events.js';
import type { Series } from '../src/prometheus.js';
import { FROM, recordedSeries, STEP, TO } from './fixture.js';

describe('deriveEvents on the recorded lab', () => {
  const events = deriveEvents(recordedSeries('lab'), FROM, TO, STEP);
  const at = (seconds: number) => FROM + seconds;

  it('finds the scale, the kill and restart, the sick and healed replica and the rollout, in order', () => {
    expect(events.map(({ kind, text }) => [kind, text])).toEqual([
      ['joined', 'e627e5516d1e joined (v1)'],
      ['down', '287d6f92d1e9 down'],
      ['sick', 'd158b9dbb489 sick (fail)'],
      ['healed', 'd158b9dbb489 healed'],
      ['restarted', '287d6f92d1e9 restarted'],
      ['left', 'a9fc1d7e0ee9 left'],
      ['joined', '714457a94e8a joined (v2)'],
      ['version-in', 'v2 arrives'],
      ['left', 'd158b9dbb489 left'],
      ['joined', 'c89880f786bf joined (v2)'],
      ['left', 'e627e5516d1e left'],
    ]);
  });

  it('places each at its moment: after the command that caused it', () => {
    const when = (kind: string) => events.find((event) => event.kind === kind)?.t ?? 0;
    expect(when('joined')).toBeGreaterThanOrEqual(at(15));
    expect(when('down')).toBeGreaterThanOrEqual(at(29) - STEP);
    expect(when('sick')).toBeGreaterThanOrEqual(at(44));
    expect(when('healed')).toBeGreaterThanOrEqual(at(53));
    expect(when('version-in')).toBeGreaterThanOrEqual(at(58));
    // The restart's time is the new process' start, read from process_start_time_seconds.
    expect(when('restarted')).toBeGreaterThan(when('down'));
  });

  it('the replicas there from the start and to the end make no event', () => {
    const named = events.flatMap((event) => (event.hostname ? [event.hostname] : []));
    expect(named.filter((name) => name === '287d6f92d1e9')).toEqual(['287d6f92d1e9', '287d6f92d1e9']);
    expect(events.filter((event) => event.t <= FROM + STEP)).toEqual([]);
  });

  it('nor does a replica there from the first scrape of a Prometheus younger than the window', () => {
    const later = recordedSeries('lab').map((s) => ({ ...s, points: s.points.filter(([t]) => t >= at(10)) }));
    expect(deriveEvents(later, FROM - 300, TO, STEP)[0]?.text).toBe('e627e5516d1e joined (v1)');
  });
});

describe('deriveEvents, one change at a time', () => {
  const info = (hostname: string, version: string, times: number[]): Series => ({
    labels: { series: 'info', hostname, version },
    points: times.map((t) => [t, 1]),
  });
  const span = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

  it.each([
    {
      what: 'a gap without a new process: down, then back',
      series: [info('a', '1', [...span(0, 10), ...span(15, 20)])],
      kinds: ['down', 'back'],
    },
    {
      what: 'a sick gauge at 1 from the start: no event',
      series: [
        {
          labels: { series: 'sick', hostname: 'a', mode: 'slow' },
          points: [
            [0, 1],
            [1, 1],
          ] as [number, number][],
        },
      ],
      kinds: [],
    },
    {
      what: 'the last version leaving',
      series: [info('a', '1', span(0, 12)), info('b', '2', span(5, 20))],
      kinds: ['joined', 'version-in', 'left', 'version-out'],
    },
  ])('$what', ({ series, kinds }) => {
    expect(deriveEvents(series, 0, 20, 1).map((event) => event.kind)).toEqual(kinds);
  });
});

describe('currentReplicas', () => {
  it('the replicas there at the end, with their versions', () => {
    expect(currentReplicas(recordedSeries('lab'), TO, STEP)).toEqual([
      { hostname: '287d6f92d1e9', version: '1' },
      { hostname: '714457a94e8a', version: '2' },
      { hostname: 'c89880f786bf', version: '2' },
    ]);
  });

  it('a sick one says how', () => {
    const series: Series[] = [
      {
        labels: { series: 'info', hostname: 'a', version: '1' },
        points: [
          [9, 1],
          [10, 1],
        ],
      },
      {
        labels: { series: 'sick', hostname: 'a', mode: 'stall' },
        points: [
          [9, 0],
          [10, 1],
        ],
      },
      {
        labels: { series: 'sick', hostname: 'a', mode: 'slow' },
        points: [
          [9, 0],
          [10, 0],
        ],
      },
    ];
    expect(currentReplicas(series, 10, 1)).toEqual([{ hostname: 'a', version: '1', sick: 'stall' }]);
  });
});
