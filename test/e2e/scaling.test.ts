import { afterAll, describe, expect, it } from 'vitest';
import { backgroundTraffic, eventually, make, type Tally, tally, withProxySwitches } from './lab.js';

/** True when the next n*k requests reach exactly n replicas, k each. */
async function evenOver(replicas: number, each = 4): Promise<Tally | undefined> {
  const seen = await tally(replicas * each);
  const counts = Object.values(seen.hostnames);
  return counts.length === replicas && counts.every((count) => count === each) ? seen : undefined;
}

describe('scaling while nginx runs', () => {
  afterAll(async () => {
    await make('scale', 'N=3');
  });

  it.each([5, 2])('follows a scale to %i replicas, evenly, and no request fails', async (replicas) => {
    const traffic = backgroundTraffic();
    await make('scale', `N=${replicas}`);
    const during = await traffic.stop();
    expect(Object.keys(during.statuses)).toEqual(['200']);

    let settled: Tally | undefined;
    const even = await eventually(async () => {
      settled = await evenOver(replicas);
      return settled !== undefined;
    }, 60_000);
    expect(even, `not even over ${replicas} replicas within 60 s`).toBe(true);
    // And it stays that way.
    const after = await tally(replicas * 20);
    expect(after.statuses).toEqual({ 200: replicas * 20 });
    expect(Object.values(after.hostnames)).toEqual(Array(replicas).fill(20));
  });
});

// The zero and the spread above are proof only if the same scale fails without the protection
// that keeps it: nginx's retry on another replica, and its re-resolution of "hello".
describe('controls: scaling with a protection of nginx off', () => {
  afterAll(async () => {
    await make('scale', 'N=3');
  });

  it('without retries (PROXY_RETRY=off), a scale-down fails requests', async () => {
    await make('scale', 'N=5');
    const during = await withProxySwitches({ PROXY_RETRY: 'off' }, async () => {
      const traffic = backgroundTraffic();
      await make('scale', 'N=2');
      return traffic.stop();
    });
    expect(during.statuses['200']).toBeGreaterThan(0);
    const failed = Object.entries(during.statuses).filter(([status]) => status !== '200');
    expect(failed.length, JSON.stringify(during.statuses)).toBeGreaterThan(0);
    console.info(`control, scale-down without retries: ${JSON.stringify(during.statuses)}`);
  });

  it('without re-resolution (PROXY_RESOLVE=off), a scale-up never reaches the new replicas', async () => {
    await make('scale', 'N=3');
    const seen = await withProxySwitches({ PROXY_RESOLVE: 'off' }, async () => {
      await make('scale', 'N=5');
      return tally(100);
    });
    expect(seen.statuses).toEqual({ 200: 100 });
    expect(Object.keys(seen.hostnames)).toHaveLength(3);
  });
});
