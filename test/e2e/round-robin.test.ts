import { beforeAll, describe, expect, it } from 'vitest';
import { BASE_URL, make, tally } from './lab.js';

describe('nginx in front of 3 replicas', () => {
  beforeAll(async () => {
    await make('scale', 'N=3');
  });

  it('sends 300 requests to exactly 3 replicas, 100 each', async () => {
    const seen = await tally(300);
    expect(seen.statuses).toEqual({ 200: 300 });
    expect(Object.values(seen.hostnames)).toEqual([100, 100, 100]);
  });

  it('says on every answer which replica gave it, with the seed greeting', async () => {
    const res = await fetch(`${BASE_URL}/`);
    const hostname = res.headers.get('x-hostname');
    expect(await res.text()).toBe(`Hello from ${hostname} (v1)`);
    expect(res.headers.get('x-upstream')).toMatch(/^\d+\.\d+\.\d+\.\d+:8080$/);
    expect(res.headers.get('x-version')).toBe('1');
    expect(res.headers.get('server-timing')).toMatch(/^work;dur=\d+\.\d{3}, cpu;dur=\d+\.\d{3}$/);
    expect(res.headers.get('server')).toBe('nginx');
  });

  it('keeps its connections to the replicas alive', async () => {
    // Round-robin: three calls in a row reach the three replicas once each.
    const connections = async () => {
      let total = 0;
      for (let i = 0; i < 3; i++) {
        const text = await (await fetch(`${BASE_URL}/metrics`)).text();
        total += Number(/^http_connections_total (\d+)/m.exec(text)?.[1]);
      }
      return total;
    };
    const before = await connections();
    const seen = await tally(300);
    expect(seen.statuses).toEqual({ 200: 300 });
    // Without keep-alive this would be 300 or more.
    expect((await connections()) - before).toBeLessThan(10);
  });
});
