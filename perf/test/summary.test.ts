import { describe, expect, it } from 'vitest';
import { median, percentile, round, summarize } from '../src/summary.js';

describe('median', () => {
  it.each<[number[], number]>([
    [[3], 3],
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
    [[5, 5, 1], 5],
  ])('of %j is %d', (values, expected) => {
    expect(median(values)).toBe(expected);
  });

  it('of nothing is NaN', () => {
    expect(median([])).toBeNaN();
  });
});

describe('summarize', () => {
  it.each<[number[], { median: number; min: number; max: number }]>([
    [[2, 9, 4], { median: 4, min: 2, max: 9 }],
    [[7, Number.NaN, 3], { median: 5, min: 3, max: 7 }],
  ])('%j -> %j, keeping every sample', (samples, expected) => {
    const summary = summarize(samples);
    expect(summary).toMatchObject(expected);
    expect(summary.samples).toEqual(samples);
  });
});

describe('percentile (nearest rank, as wrk and HdrHistogram)', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
  it.each<[number[], number, number]>([
    [hundred, 50, 50],
    [hundred, 99, 99],
    [hundred, 100, 100],
    [hundred, 0, 1],
    [[1, 2, 3], 50, 2],
    [[10], 99, 10],
  ])('p%2$d of %1$j values is %3$d', (sorted, p, expected) => {
    expect(percentile(sorted, p)).toBe(expected);
  });
});

describe('round', () => {
  it.each<[number, number, number]>([
    [0.123456, 3, 0.123],
    [1234.5678, 1, 1234.6],
    [2, 3, 2],
  ])('%d to %d decimals is %d', (value, decimals, expected) => {
    expect(round(value, decimals)).toBe(expected);
  });
});
