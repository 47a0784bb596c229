import { describe, expect, it } from 'vitest';
import { lastSpinResult, NO_WORK_TIMING, serverTiming, timedSpin, type WorkTime } from '../src/work.js';

/** XOR of 1..n in closed form: what the loop returns only if it really ran every iteration. */
function xorUpTo(n: number): number {
  return [n, 1, n + 1, 0][n % 4] as number;
}

/** The least disturbed of several runs: the one with the shortest wall time. */
function fastest(iterations: number, runs = 5): WorkTime {
  const times = Array.from({ length: runs }, () => timedSpin(iterations));
  return times.reduce((best, time) => (time.wallMs < best.wallMs ? time : best));
}

describe('timedSpin', () => {
  it.each([1, 2, 3, 4, 1000, 999_999, 10_000_000])('runs all %i iterations', (n) => {
    timedSpin(n);
    expect(lastSpinResult()).toBe(xorUpTo(n));
  });

  it('times the loop by the wall clock and in CPU, and no loop as zero', () => {
    // How much a loop costs is the machine's to say (make perf measures it); that eight times the
    // iterations cost more CPU than one, and that no loop costs nothing, is the loop's.
    const small = fastest(10_000_000);
    const large = fastest(80_000_000);
    expect(small.wallMs).toBeGreaterThan(0);
    expect(small.cpuMs).toBeGreaterThan(0);
    expect(large.cpuMs).toBeGreaterThan(small.cpuMs);
    expect(fastest(0)).toEqual({ wallMs: 0, cpuMs: 0 });
  });

  it('counts no more CPU than the loop could use in its wall time', () => {
    for (const { wallMs, cpuMs } of [fastest(0), fastest(10_000_000), fastest(40_000_000)]) {
      expect(cpuMs).toBeGreaterThanOrEqual(0);
      expect(cpuMs).toBeLessThanOrEqual(wallMs * 1.5 + 1);
    }
  });
});

describe('serverTiming', () => {
  it.each<[WorkTime, string]>([
    [{ wallMs: 7.9, cpuMs: 5.1 }, 'work;dur=7.900, cpu;dur=5.100'],
    [{ wallMs: 0.12345, cpuMs: 0.0996 }, 'work;dur=0.123, cpu;dur=0.100'],
    [{ wallMs: 0, cpuMs: 0 }, 'work;dur=0.000, cpu;dur=0.000'],
  ])('%j -> %s', (time, expected) => {
    expect(serverTiming(time)).toBe(expected);
  });

  it('has a zero form for answers without the loop', () => {
    expect(NO_WORK_TIMING).toBe('work;dur=0.000, cpu;dur=0.000');
  });
});
