import { describe, expect, it } from 'vitest';
import { spin, timedSpin } from '../src/work.js';

/** XOR of 1..n in closed form: what the loop returns only if it really ran every iteration. */
function xorUpTo(n: number): number {
  return [n, 1, n + 1, 0][n % 4] as number;
}

describe('spin', () => {
  it.each([0, 1, 2, 3, 4, 1000, 999_999, 10_000_000])('runs all %i iterations', (n) => {
    expect(spin(n)).toBe(xorUpTo(n));
  });

  it('costs time in proportion to the iterations', () => {
    // The fastest of several runs is the least disturbed by other work on a shared machine.
    const fastest = (n: number) => Math.min(...Array.from({ length: 5 }, () => timedSpin(n)));
    const small = fastest(10_000_000);
    const large = fastest(40_000_000);
    expect(small).toBeGreaterThan(0.5);
    expect(large / small).toBeGreaterThan(2.5);
    expect(fastest(0)).toBeLessThan(small / 10);
  });
});
