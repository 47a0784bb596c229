import { afterAll, describe, expect, it } from 'vitest';
import { backgroundTraffic, eventually, make, type Tally, tally } from './lab.js';

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

  it.each([5, 2])(
    'follows a scale to %i replicas within 10 s, evenly, and no request fails',
    async (replicas) => {
      const traffic = backgroundTraffic();
      await make('scale', `N=${replicas}`);
      const during = await traffic.stop();
      expect(Object.keys(during.statuses)).toEqual(['200']);

      let settled: Tally | undefined;
      const even = await eventually(async () => {
        settled = await evenOver(replicas);
        return settled !== undefined;
      }, 10_000);
      expect(even, `not even over ${replicas} replicas within 10 s`).toBe(true);
      // And it stays that way.
      const after = await tally(replicas * 20);
      expect(after.statuses).toEqual({ 200: replicas * 20 });
      expect(Object.values(after.hostnames)).toEqual(Array(replicas).fill(20));
    },
  );
});
