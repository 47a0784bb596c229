import { describe, expect, it } from 'vitest';
import type { Series } from '../src/prometheus.js';
import { align, mergeRange, seriesKey } from '../src/series.js';

const s = (labels: Record<string, string>, points: [number, number][]): Series => ({ labels, points });

describe('seriesKey', () => {
  it('is the same whatever the order of the labels', () => {
    expect(seriesKey({ a: '1', b: '2' })).toBe(seriesKey({ b: '2', a: '1' }));
    expect(seriesKey({ a: '1' })).not.toBe(seriesKey({ a: '2' }));
  });
});

describe('mergeRange', () => {
  const old = [
    s({ hostname: 'a' }, [
      [1, 1],
      [2, 1],
      [3, 1],
      [4, 1],
    ]),
    s({ hostname: 'gone' }, [
      [1, 5],
      [2, 5],
      [3, 5],
    ]),
  ];

  it.each([
    {
      what: 'the fresh answer replaces the overlap, the old points before it stay',
      fresh: [
        s({ hostname: 'a' }, [
          [3, 7],
          [4, 7],
          [5, 7],
        ]),
        s({ hostname: 'gone' }, []),
      ],
      expected: [
        s({ hostname: 'a' }, [
          [1, 1],
          [2, 1],
          [3, 7],
          [4, 7],
          [5, 7],
        ]),
        s({ hostname: 'gone' }, [
          [1, 5],
          [2, 5],
        ]),
      ],
    },
    {
      what: 'a series new in the fresh answer joins',
      fresh: [s({ hostname: 'a' }, [[3, 1]]), s({ hostname: 'b' }, [[4, 2]])],
      expected: [
        s({ hostname: 'a' }, [
          [1, 1],
          [2, 1],
          [3, 1],
        ]),
        s({ hostname: 'gone' }, [
          [1, 5],
          [2, 5],
        ]),
        s({ hostname: 'b' }, [[4, 2]]),
      ],
    },
  ])('$what', ({ fresh, expected }) => {
    expect(mergeRange(old, fresh, 3, 0)).toEqual(expected);
  });

  it('drops what leaves the window, and a series left with no point', () => {
    expect(mergeRange(old, [], 4, 3)).toEqual([
      s({ hostname: 'a' }, [[3, 1]]),
      s({ hostname: 'gone' }, [[3, 5]]),
    ]);
    expect(mergeRange(old, [], 10, 5)).toEqual([]);
  });
});

describe('align', () => {
  it('puts every series on one axis, with null where a series has no point', () => {
    expect(
      align(
        [
          {
            points: [
              [10, 1],
              [12, 3],
            ],
          },
          {
            points: [
              [11, 2],
              [14, 9],
            ],
          },
        ],
        10,
        13,
        1,
      ),
    ).toEqual({
      x: [10, 11, 12, 13],
      ys: [
        [1, null, 3, null],
        [null, 2, null, null],
      ],
    });
  });
});
