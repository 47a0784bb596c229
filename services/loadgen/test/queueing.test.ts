import { describe, expect, it } from 'vitest';
import { erlangC, meanWaitMs } from '../src/queueing.js';

describe('erlangC', () => {
  it('is the utilisation for one server (M/M/1: P(wait) = rho)', () => {
    for (const load of [0.1, 0.5, 0.9]) expect(erlangC(1, load)).toBeCloseTo(load, 12);
  });

  it('matches the textbook value for 2 servers at load 1 (1/3)', () => {
    // Erlang B(2, 1) = 0.2, so C = B / (1 - rho (1 - B)) = 0.2 / (1 - 0.5 * 0.8) = 1/3.
    expect(erlangC(2, 1)).toBeCloseTo(1 / 3, 12);
  });

  it('is 1 at or above saturation', () => {
    expect(erlangC(3, 3)).toBe(1);
    expect(erlangC(3, 4)).toBe(1);
  });
});

describe('meanWaitMs', () => {
  it('is the Pollaczek-Khinchine wait for one server with a fixed service time', () => {
    // M/D/1: Wq = rho S / (2 (1 - rho)); at S = 4 ms, 125 req/s: rho = 0.5, Wq = 2 ms.
    expect(meanWaitMs('poisson', 125, 4, 1)).toBeCloseTo(2, 9);
  });

  it('is 0 for evenly spaced arrivals below capacity, and endless at or above it', () => {
    expect(meanWaitMs('constant', 400, 4, 2)).toBe(0);
    expect(meanWaitMs('constant', 500, 4, 2)).toBe(Number.POSITIVE_INFINITY);
    expect(meanWaitMs('poisson', 500, 4, 2)).toBe(Number.POSITIVE_INFINITY);
  });

  it('grows without bound as the load nears capacity: the knee', () => {
    const waits = [0.5, 0.8, 0.9, 0.95, 0.99].map((share) => meanWaitMs('poisson', share * 500, 4, 2));
    for (let i = 1; i < waits.length; i++) expect(waits[i]).toBeGreaterThan(waits[i - 1] ?? Infinity);
    expect(waits.at(-1)).toBeGreaterThan(50 * (waits[0] ?? 0));
  });
});
