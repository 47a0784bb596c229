import { describe, expect, it } from 'vitest';
import { parseMatrix, rangePath } from '../src/prometheus.js';
import { raw, recordedSeries } from './fixture.js';

describe('parseMatrix', () => {
  it('reads a recorded range answer: labels, and numbers for the string values', () => {
    const series = recordedSeries('versions');
    expect(series.map((s) => s.labels)).toEqual([{ version: '1' }, { version: '2' }]);
    const [t, v] = series[0]?.points[0] ?? [];
    expect(Number.isInteger(t)).toBe(true);
    expect(typeof v).toBe('number');
    expect(series[0]?.points.length).toBe(
      (raw('versions') as { data: { result: { values: unknown[] }[] } }).data.result[0]?.values.length,
    );
  });

  it('drops NaN (a quantile without answers) and keeps infinities', () => {
    const json = {
      status: 'success',
      data: {
        resultType: 'matrix',
        result: [
          {
            metric: { line: 'p99' },
            values: [
              [10, 'NaN'],
              [11, '+Inf'],
              [12, '0.25'],
            ],
          },
        ],
      },
    };
    expect(parseMatrix(json)).toEqual([
      {
        labels: { line: 'p99' },
        points: [
          [11, Infinity],
          [12, 0.25],
        ],
      },
    ]);
  });

  it.each([
    [
      { status: 'error', errorType: 'bad_data', error: 'parse error at char 4' },
      'the query API answered an error: parse error at char 4',
    ],
    [
      { status: 'success', data: { resultType: 'vector', result: [] } },
      'Prometheus answered vector, expected a matrix (query_range)',
    ],
    ['<html>', 'the query API answered an error: no "status": "success"'],
  ])('refuses %j in one line', (json, message) => {
    expect(() => parseMatrix(json)).toThrow(message);
  });
});

describe('rangePath', () => {
  it('asks the proxied query_range, relative to /lab/, with the query encoded', () => {
    const path = rangePath('sum by (le) (rate(x{route="/"}[5s]))', 100, 400, 1);
    expect(path.startsWith('api/v1/query_range?')).toBe(true);
    expect(Object.fromEntries(new URL(path, 'http://lab/lab/').searchParams)).toEqual({
      query: 'sum by (le) (rate(x{route="/"}[5s]))',
      start: '100',
      end: '400',
      step: '1',
    });
  });
});
