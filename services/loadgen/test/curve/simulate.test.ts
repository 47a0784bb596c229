import { describe, expect, it } from 'vitest';
import { simulateLatency } from '../../src/curve/simulate.js';
import { meanWaitMs } from '../../src/queueing.js';
import { seeded } from '../open-loop/virtual.js';

// The simulation steps by S / 50: with S = 4 ms, a result may be off by two steps.
const STEPS_OFF = (2 * 4) / 50;

describe('simulateLatency', () => {
  it.each([
    { replicas: 2, cores: 0, serviceMs: 4 },
    { replicas: 2, cores: -0.3, serviceMs: 4 },
    { replicas: 2, cores: 2, serviceMs: 0 },
    { replicas: 0, cores: 2, serviceMs: 4 },
  ])('refuses a lab where no request could finish: %j', (shape) => {
    expect(() => simulateLatency(shape, 'poisson', 100, 100)).toThrow(RangeError);
  });

  it('gives the service time alone to evenly spaced arrivals that each replica keeps up with', () => {
    const result = simulateLatency({ replicas: 2, cores: 2, serviceMs: 4 }, 'constant', 400, 2000);
    // Every 2.5 ms a request, every 5 ms one per replica, 4 ms each: nobody waits.
    expect(Math.abs(result.p50 - 4)).toBeLessThanOrEqual(STEPS_OFF);
    expect(Math.abs(result.p99 - 4)).toBeLessThanOrEqual(STEPS_OFF);
  });

  it('matches M/D/1 for one replica on one core (Pollaczek-Khinchine)', () => {
    const result = simulateLatency(
      { replicas: 1, cores: 1, serviceMs: 4 },
      'poisson',
      125,
      40_000,
      seeded(3),
    );
    // rho = 0.5: a mean wait of 2 ms on top of S.
    expect(result.mean).toBeGreaterThan(4 + meanWaitMs('poisson', 125, 4, 1) * 0.9);
    expect(result.mean).toBeLessThan(4 + meanWaitMs('poisson', 125, 4, 1) * 1.1);
  });

  it('shares the cores among more replicas than cores: three on two run at two thirds each', () => {
    // Three arrive at once, evenly dealt: each gets 2/3 of a core, so each takes 6 ms.
    const result = simulateLatency({ replicas: 3, cores: 2, serviceMs: 4 }, 'constant', 1_000_000, 3);
    expect(Math.abs(result.p50 - 6)).toBeLessThanOrEqual(STEPS_OFF);
  });

  it('turns up sharply near capacity: the knee', () => {
    const at = (share: number) =>
      simulateLatency({ replicas: 2, cores: 2, serviceMs: 4 }, 'poisson', share * 500, 20_000, seeded(9)).p99;
    const [low, high] = [at(0.3), at(0.95)];
    expect(high).toBeGreaterThan(5 * low);
  });
});
