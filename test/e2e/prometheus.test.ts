// The lab's Prometheus, live: it follows the replicas as they are scaled (its own targets API,
// asked from inside the lab's network), and the published port lets the page's two query
// endpoints through, read-only, and nothing else of it.
import { afterAll, describe, expect, it } from 'vitest';
import { BASE_URL, compose, containerIds, eventually, inspect, make } from './lab.js';

interface Targets {
  data: { activeTargets: { labels: { instance: string; job: string }; health: string; lastError: string }[] };
}
interface QueryAnswer {
  status: string;
  data: { result: { metric: { instance: string }; value: [number, string] }[] };
}

/** Each running replica's address, as Prometheus and nginx name it. */
async function replicaAddresses(): Promise<string[]> {
  const replicas = await inspect(await containerIds('hello'));
  return replicas.flatMap(({ NetworkSettings }) =>
    Object.values(NetworkSettings.Networks).map(({ IPAddress }) => `${IPAddress}:8080`),
  );
}

/** What Prometheus itself says it scrapes: the API that the published port never passes on. */
async function targets(): Promise<Targets['data']['activeTargets']> {
  const { stdout } = await compose(
    'exec',
    '-T',
    'nginx',
    'wget',
    '-qO-',
    '-T',
    '5',
    'http://prometheus:9090/api/v1/targets?state=active',
  );
  return (JSON.parse(stdout) as Targets).data.activeTargets;
}

const sorted = (values: string[]) => [...values].sort();

describe('Prometheus follows the replicas', () => {
  afterAll(async () => {
    await make('scale', 'N=3');
  });

  it.each([4, 2])('after a scale to %i, its targets are exactly the running replicas, all up', async (n) => {
    await make('scale', `N=${n}`);
    const addresses = sorted(await replicaAddresses());
    expect(addresses).toHaveLength(n);
    let seen: Awaited<ReturnType<typeof targets>> = [];
    const followed = await eventually(
      async () => {
        seen = await targets();
        return (
          JSON.stringify(sorted(seen.map(({ labels }) => labels.instance))) === JSON.stringify(addresses) &&
          seen.every(({ health, labels }) => health === 'up' && labels.job === 'hello')
        );
      },
      60_000,
      1000,
    );
    expect(followed, `targets ${JSON.stringify(seen)} against replicas ${addresses}`).toBe(true);

    // The page's view of the same, through the published port.
    let answer: QueryAnswer | undefined;
    const queried = await eventually(
      async () => {
        const res = await fetch(`${BASE_URL}/lab/api/v1/query?query=up`);
        answer = (await res.json()) as QueryAnswer;
        const instances = sorted(answer.data.result.map(({ metric }) => metric.instance));
        return (
          res.status === 200 &&
          JSON.stringify(instances) === JSON.stringify(addresses) &&
          answer.data.result.every(({ value }) => value[1] === '1')
        );
      },
      30_000,
      1000,
    );
    expect(queried, JSON.stringify(answer)).toBe(true);
  });
});

describe('the published port and Prometheus', () => {
  it('passes a range query on to it', async () => {
    const end = Date.now() / 1000;
    const res = await fetch(
      `${BASE_URL}/lab/api/v1/query_range?query=up&start=${end - 30}&end=${end}&step=1`,
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; data: { resultType: string } };
    expect(body).toMatchObject({ status: 'success', data: { resultType: 'matrix' } });
  });

  it.each([
    '/lab/api/v1/targets',
    '/lab/api/v1/admin/tsdb/delete_series?match[]=up',
    '/lab/api/v1/status/config',
    '/lab/api/v1/query/',
    '/lab/api/v1/write',
  ])('refuses the rest of its API: %s is 404', async (path) => {
    const res = await fetch(`${BASE_URL}${path}`);
    await res.arrayBuffer();
    expect(res.status).toBe(404);
  });

  it.each(['POST', 'PUT', 'DELETE'])('refuses %s on the query endpoints (405)', async (method) => {
    for (const path of ['/lab/api/v1/query?query=up', '/lab/api/v1/query_range?query=up']) {
      const res = await fetch(`${BASE_URL}${path}`, { method });
      await res.arrayBuffer();
      expect(res.status, path).toBe(405);
    }
  });

  it('answers 503 while Prometheus is down, and / as ever', async () => {
    await compose('stop', 'prometheus');
    try {
      const query = await fetch(`${BASE_URL}/lab/api/v1/query?query=up`);
      expect(query.status).toBe(503);
      expect(await query.json()).toMatchObject({ status: 'error', errorType: 'unavailable' });
      const page = await fetch(`${BASE_URL}/`);
      await page.arrayBuffer();
      expect(page.status).toBe(200);
    } finally {
      await compose('up', '-d', '--wait', '--no-deps', 'prometheus');
    }
    const back = await eventually(
      async () => (await fetch(`${BASE_URL}/lab/api/v1/query?query=up`)).ok,
      30_000,
      500,
    );
    expect(back).toBe(true);
  });
});
