import { describe, expect, it } from 'vitest';
import { arrivalTimes } from '../../src/open-loop/arrivals.js';
import { seeded } from './virtual.js';

const take = (times: Generator<number>, n: number) =>
  Array.from({ length: n }, () => times.next().value as number);

describe('arrivalTimes', () => {
  it('spaces constant arrivals exactly 1000 / rate ms apart, from 0', () => {
    const times = take(arrivalTimes('constant', 200), 1001);
    expect(times[0]).toBe(0);
    expect(times[1]).toBe(5);
    // From the index, not summed: no drift after a thousand gaps.
    expect(times[1000]).toBe(5000);
    for (let i = 1; i < times.length; i++) expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeCloseTo(5, 9);
  });

  it('gives Poisson arrivals exponential gaps: mean 1000 / rate, variance the mean squared', () => {
    const n = 50_000;
    const times = take(arrivalTimes('poisson', 100, seeded(7)), n + 1);
    const gaps = times.slice(1).map((at, i) => at - (times[i] ?? 0));
    const mean = gaps.reduce((sum, gap) => sum + gap, 0) / n;
    const variance = gaps.reduce((sum, gap) => sum + (gap - mean) ** 2, 0) / (n - 1);
    expect(mean).toBeGreaterThan(10 * 0.98);
    expect(mean).toBeLessThan(10 * 1.02);
    expect(variance).toBeGreaterThan(100 * 0.95);
    expect(variance).toBeLessThan(100 * 1.05);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(0);
    // Bunched, unlike constant arrivals: some gaps far below the mean, some far above.
    expect(gaps.filter((gap) => gap < 1).length / n).toBeGreaterThan(0.08);
    expect(gaps.filter((gap) => gap > 30).length / n).toBeGreaterThan(0.04);
  });

  it('draws a new schedule from each seed', () => {
    expect(take(arrivalTimes('poisson', 100, seeded(1)), 5)).not.toEqual(
      take(arrivalTimes('poisson', 100, seeded(2)), 5),
    );
    expect(take(arrivalTimes('poisson', 100, seeded(1)), 5)).toEqual(
      take(arrivalTimes('poisson', 100, seeded(1)), 5),
    );
  });
});
