// The lab's Prometheus, live: it follows the replicas as they are scaled (its own targets API,
// asked from inside the lab's network) and names each by its hostname (hello_info), and the
// published port lets the page's two query endpoints through, read-only, and nothing else of it.
import { afterAll, describe, expect, it } from 'vitest';
import { BASE_URL, compose, containerIds, eventually, inspect, make } from './lab.js';

interface Targets {
  data: { activeTargets: { labels: { instance: string; job: string }; health: string; lastError: string }[] };
}
interface QueryAnswer {
  status: string;
  data: { result: { metric: { instance: string; hostname?: string }; value: [number, string] }[] };
}

/** Each running replica's address, as Prometheus and nginx name it, and its hostname. */
async function runningReplicas(): Promise<{ address: string; hostname: string }[]> {
  const replicas = await inspect(await containerIds('hello'));
  return replicas.flatMap(({ NetworkSettings, Config }) =>
    Object.values(NetworkSettings.Networks).map(({ IPAddress }) => ({
      address: `${IPAddress}:8080`,
      hostname: Config.Hostname,
    })),
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

  it.each([4, 2])(
    'after a scale to %i, its targets are exactly the running replicas, all up, each named by its hostname',
    async (n) => {
      await make('scale', `N=${n}`);
      const replicas = await runningReplicas();
      const addresses = sorted(replicas.map(({ address }) => address));
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

      // The page's view of the same, through the published port: each replica up, and named by
      // its hostname through the join on `instance` with its hello_info.
      const named = sorted(replicas.map(({ address, hostname }) => `${address} ${hostname}`));
      const query = encodeURIComponent('up * on (instance) group_left (hostname) hello_info');
      let answer: QueryAnswer | undefined;
      const queried = await eventually(
        async () => {
          const res = await fetch(`${BASE_URL}/lab/api/v1/query?query=${query}`);
          answer = (await res.json()) as QueryAnswer;
          const seen = sorted(
            answer.data.result.map(({ metric }) => `${metric.instance} ${metric.hostname}`),
          );
          return (
            res.status === 200 &&
            JSON.stringify(seen) === JSON.stringify(named) &&
            answer.data.result.every(({ value }) => value[1] === '1')
          );
        },
        30_000,
        1000,
      );
      expect(queried, JSON.stringify(answer)).toBe(true);
    },
  );
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
