// The live page (/lab/) in Chromium, fed by the lab's real Prometheus, while load runs: a scale
// from 2 to 4 shows 4 replicas in their greeting pages' colours, a killed replica restarts, a
// rollout moves the version mix from v1 to v2, and the events sit on the charts' time axes. It
// scales, kills and rolls out, so it runs a lab of its own (project and port), taken down at the
// end, also after a failure.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshot } from './browser.js';
import { backgroundTraffic, eventually, labEnv, PORT, PROJECT, ROOT, run } from './lab.js';

const OWN_PROJECT = `${PROJECT}-lab-page`;
const OWN_URL = `http://127.0.0.1:${PORT + 30}`;
const CHARTS = ['answers', 'versions', 'latency', 'errors', 'lab'] as const;
// Each round asks one query more: the answers by node, whose chart stays hidden on one machine.
const ROUND = [...CHARTS, 'nodes'];
/** A deadline for a broken page or lab, not a speed: Prometheus scrapes every second. */
const WITHIN = 90_000;

interface Mark {
  kind: string;
  hostname?: string;
  left: number;
  width: number;
}

/** What the page shows, read from its DOM as a person sees it. */
interface Shown {
  status: string;
  statusText: string;
  replicas: { hostname: string; version: string; background: string }[];
  versions: { version: string; share: number }[];
  events: { kind: string; hostname?: string; text: string }[];
  /** Per chart: its legend (line labels and colours) and the event marks over its plot. */
  charts: Record<string, { legend: { label: string; colour: string }[]; marks: Mark[] }>;
  nodesHidden: boolean;
  overflow: boolean;
}

function shown(page: Page): Promise<Shown> {
  return page.evaluate((charts) => {
    const all = (selector: string, root: ParentNode = document) => [
      ...root.querySelectorAll<HTMLElement>(selector),
    ];
    return {
      status: document.getElementById('status')?.dataset.state ?? '',
      statusText: document.getElementById('status')?.textContent ?? '',
      replicas: all('#replicas li').map((li) => ({
        hostname: li.dataset.hostname ?? '',
        version: li.dataset.version ?? '',
        background: getComputedStyle(li).backgroundColor,
      })),
      versions: all('#versions li').map((li) => ({
        version: li.dataset.version ?? '',
        share: Number(li.dataset.share),
      })),
      events: all('#events li').map((li) => ({
        kind: li.dataset.kind ?? '',
        hostname: li.dataset.hostname,
        text: li.textContent ?? '',
      })),
      charts: Object.fromEntries(
        charts.map((name) => {
          const box = document.getElementById(`chart-${name}`) as HTMLElement;
          const over = box.querySelector<HTMLElement>('.u-over');
          return [
            name,
            {
              // With legend.live off, uPlot lists no row for the time axis.
              legend: all('.u-legend .u-series', box).map((entry) => ({
                label: entry.querySelector('.u-label')?.textContent ?? '',
                colour: getComputedStyle(entry.querySelector('.u-marker') as HTMLElement).borderLeftColor,
              })),
              marks: all('.mark', box).map((mark) => ({
                kind: mark.dataset.kind ?? '',
                hostname: mark.dataset.hostname,
                left: Number.parseFloat(mark.style.left),
                width: over?.clientWidth ?? 0,
              })),
            },
          ];
        }),
      ),
      // The chart by node, for a cluster: hidden while no replica names a node.
      nodesHidden: (document.getElementById('nodes') as HTMLElement).hidden,
      overflow: document.documentElement.scrollWidth > window.innerWidth,
    };
  }, CHARTS);
}

describe('the live page in Chromium', () => {
  let reports: string;
  let env: NodeJS.ProcessEnv;
  let browser: Browser;
  let page: Page;
  let traffic: ReturnType<typeof backgroundTraffic> | undefined;
  const errors: string[] = [];
  // The rollout records the version it leaves in .lab/, which the lab under test shares.
  const saved = new Map<string, string | undefined>();
  const makeOwn = (...args: string[]) => run('make', ['--no-print-directory', ...args], env);
  const hostnames = async () => {
    const { stdout } = await run('docker', ['compose', 'ps', '-q', 'hello'], env);
    const ids = stdout.split('\n').filter(Boolean);
    if (ids.length === 0) return [];
    const names = await run('docker', ['inspect', '-f', '{{.Config.Hostname}}', ...ids]);
    return names.stdout.split('\n').filter(Boolean).sort();
  };
  /** Polls the page until `check` holds; fails with what the page showed last. */
  const until = async (what: string, check: (s: Shown) => boolean) => {
    let last: Shown | undefined;
    const ok = await eventually(
      async () => {
        last = await shown(page);
        return check(last);
      },
      WITHIN,
      500,
    );
    expect(ok, `${what}; the page showed ${JSON.stringify(last)}`).toBe(true);
    return last as Shown;
  };

  beforeAll(async () => {
    for (const file of ['deployed', 'previous']) {
      const path = join(ROOT, '.lab', file);
      saved.set(path, existsSync(path) ? await readFile(path, 'utf8') : undefined);
    }
    reports = await mkdtemp(join(tmpdir(), `${OWN_PROJECT}-`));
    env = {
      ...labEnv,
      COMPOSE_PROJECT_NAME: OWN_PROJECT,
      HTTP_PORT: String(PORT + 30),
      APP_VERSION: '1',
      // Where the lab's scripts write their event lines.
      REPORTS_HOST_DIR: reports,
    };
    await makeOwn('up', 'N=2');
    traffic = backgroundTraffic(60_000, 600_000, OWN_URL);
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    page.on('console', (message) => {
      // Chromium drops the requests in flight when the host's network interfaces change, as they
      // do each time Docker starts or removes a container; the page asks again a second later.
      if (message.type() === 'error' && !message.text().includes('net::ERR_NETWORK_CHANGED')) {
        errors.push(message.text());
      }
    });
    page.on('pageerror', (error) => errors.push(String(error)));
  });

  afterAll(async () => {
    try {
      await traffic?.stop();
      await browser?.close();
    } finally {
      await run('docker', ['compose', '--profile', 'bench', 'down', '--volumes', '--remove-orphans'], env);
      for (const [path, text] of saved) {
        if (text === undefined) await rm(path, { force: true });
        else await writeFile(path, text);
      }
      await rm(reports, { recursive: true, force: true });
    }
  });

  it('is static files under a strict Content-Security-Policy', async () => {
    const response = await fetch(`${OWN_URL}/lab/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const policy = response.headers.get('content-security-policy') ?? '';
    for (const rule of [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "connect-src 'self'",
    ]) {
      expect(policy).toContain(rule);
    }
    expect(policy).not.toContain('unsafe');
  });

  it('scale 2 -> 4: the page shows the 4 replicas, each in the colour of its greeting page', async () => {
    await page.goto(`${OWN_URL}/lab/`);
    const two = await hostnames();
    expect(two).toHaveLength(2);
    await until(
      'the 2 replicas',
      (s) => JSON.stringify(s.replicas.map((r) => r.hostname)) === JSON.stringify(two),
    );

    await makeOwn('scale', 'N=4');
    const four = await hostnames();
    expect(four).toHaveLength(4);
    const now = await until(
      'the 4 replicas, each with answers on the chart',
      (s) =>
        JSON.stringify(s.replicas.map((r) => r.hostname)) === JSON.stringify(four) &&
        four.every((name) => s.charts.answers?.legend.some((entry) => entry.label === name)),
    );

    // Each greeting page's background, as the browser draws it, by the replica that answered.
    const greeting = await page.context().newPage();
    const backgrounds = new Map<string, string>();
    for (let i = 0; i < 40 && backgrounds.size < 4; i++) {
      const response = await greeting.goto(`${OWN_URL}/`);
      const name = response?.headers()['x-hostname'] ?? '';
      backgrounds.set(name, await greeting.evaluate(() => getComputedStyle(document.body).backgroundColor));
    }
    await greeting.close();
    expect([...backgrounds.keys()].sort()).toEqual(four);
    for (const { hostname, background } of now.replicas) {
      expect(background, hostname).toBe(backgrounds.get(hostname));
      const line = now.charts.answers?.legend.find((entry) => entry.label === hostname);
      expect(line?.colour, `${hostname}'s line`).toBe(backgrounds.get(hostname));
    }
    expect(new Set(backgrounds.values()).size).toBeGreaterThan(1);
    // The two new replicas joined, marked on the time axis.
    const added = four.filter((name) => !two.includes(name));
    await until('a joined mark for each new replica', (s) =>
      added.every(
        (name) =>
          s.charts.answers?.marks.some((m) => m.kind === 'joined' && m.hostname === name) &&
          s.events.some((e) => e.kind === 'joined' && e.hostname === name),
      ),
    );
  });

  it("a replica's process killed: it restarts, the page marks the restart and it answers again", async () => {
    // The lab's own fault: SIGKILL to a replica's process, then it waits for the restart.
    const { stdout } = await run('bash', ['scripts/lab/chaos.sh', 'kill', '0'], env);
    const container = /kill: (\S+) \(SIGKILL/.exec(stdout)?.[1];
    expect(container, stdout).toBeDefined();
    const victim = (
      await run('docker', ['inspect', '-f', '{{.Config.Hostname}}', container as string])
    ).stdout.trim();
    await until(
      `${victim} restarted, marked on every chart, and back among the replicas`,
      (s) =>
        s.events.some((e) => e.kind === 'restarted' && e.hostname === victim) &&
        CHARTS.every((name) =>
          s.charts[name]?.marks.some((m) => m.kind === 'restarted' && m.hostname === victim),
        ) &&
        s.replicas.some((r) => r.hostname === victim),
    );
  });

  it('a rollout to v2: the version mix goes from v1 to v2, the replicas are v2, the events are on the axis', async () => {
    const before = await shown(page);
    expect(before.versions).toEqual([{ version: '1', share: 1 }]);
    await makeOwn('rollout', 'VERSION=2', 'STEP=2');
    const four = await hostnames();
    const after = await until(
      'only v2, on the 4 new replicas',
      (s) =>
        JSON.stringify(s.versions) === JSON.stringify([{ version: '2', share: 1 }]) &&
        JSON.stringify(s.replicas.map((r) => [r.hostname, r.version])) ===
          JSON.stringify(four.map((name) => [name, '2'])) &&
        s.events.some((e) => e.text.endsWith('v1 gone')),
    );
    expect(after.events.some((e) => e.kind === 'version-in' && e.text.endsWith('v2 arrives'))).toBe(true);
    expect(after.charts.versions?.legend.map((entry) => entry.label)).toEqual(['v1', 'v2']);
    // Every chart carries the same events, inside its plot: joins, the restart, the rollout.
    for (const name of CHARTS) {
      const kinds = new Set(after.charts[name]?.marks.map((m) => m.kind));
      for (const kind of ['joined', 'restarted', 'left', 'version-in', 'version-out']) {
        expect(kinds.has(kind), `${name}: ${kind}`).toBe(true);
      }
      for (const mark of after.charts[name]?.marks ?? []) {
        expect(mark.left, `${name}: ${mark.kind}`).toBeGreaterThanOrEqual(0);
        expect(mark.left, `${name}: ${mark.kind}`).toBeLessThanOrEqual(mark.width);
      }
    }
    expect(errors).toEqual([]);
  });

  it('opens with the last minutes drawn: one range query a chart over the window, then short ones', async () => {
    const fresh = await page.context().newPage();
    type Asked = { start: number; end: number; answered: boolean };
    const asked: Asked[] = [];
    const byRequest = new Map<Request, Asked>();
    fresh.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === '/lab/api/v1/query_range') {
        const entry = {
          start: Number(url.searchParams.get('start')),
          end: Number(url.searchParams.get('end')),
          answered: false,
        };
        asked.push(entry);
        byRequest.set(request, entry);
      }
    });
    fresh.on('response', (response) => {
      const entry = byRequest.get(response.request());
      if (entry && response.ok()) entry.answered = true;
    });
    await fresh.goto(`${OWN_URL}/lab/`);
    const ok = await eventually(
      async () => (await shown(fresh)).status === 'ok' && asked.length >= 2 * ROUND.length,
      WITHIN,
      250,
    );
    expect(ok, `asked ${JSON.stringify(asked)}`).toBe(true);
    const first = await shown(fresh);
    // The history is there from the first answers: the scale, the restart and the rollout.
    for (const kind of ['joined', 'restarted', 'version-in'])
      expect(
        first.events.some((e) => e.kind === kind),
        kind,
      ).toBe(true);
    expect(asked.slice(0, ROUND.length).map(({ start, end }) => end - start)).toEqual(ROUND.map(() => 300));
    // Then each chart asks only from 15 s before where the last round the page drew ended. A round
    // is drawn when all its answers came (Chromium drops a request now and then when Docker changes
    // the host's interfaces, and the page asks again a second later, from where it had drawn).
    let drawnTo: number | undefined;
    const rounds = Math.floor(asked.length / ROUND.length);
    for (let r = 0; r < rounds; r++) {
      const round = asked.slice(r * ROUND.length, (r + 1) * ROUND.length);
      round.forEach(({ start, end }, k) => {
        const expected = drawnTo === undefined ? end - 300 : Math.max(end - 300, drawnTo - 15);
        expect(start, `query ${r * ROUND.length + k + 1} of ${JSON.stringify(asked)}`).toBe(expected);
      });
      if (round.every(({ answered }) => answered)) drawnTo = round[0]?.end;
    }
    expect(drawnTo, 'no round was answered').toBeDefined();
    await fresh.close();
  });

  it('reads at 1280 and 390 px: nothing wider than the window', async () => {
    for (const [width, name] of [
      [1280, 'lab-1280'],
      [390, 'lab-390'],
    ] as const) {
      await page.setViewportSize({ width, height: 900 });
      const s = await until(`a redraw at ${width} px`, (s) => s.status === 'ok' && !s.overflow);
      for (const chart of CHARTS) {
        const box = await page.$eval(
          `#chart-${chart} canvas`,
          (canvas) => canvas.getBoundingClientRect().right,
        );
        expect(box, `${chart} at ${width} px`).toBeLessThanOrEqual(width);
      }
      expect(s.replicas).toHaveLength(4);
      // One machine: its replicas name no node, and the page shows no chart by node.
      expect(s.nodesHidden).toBe(true);
      await screenshot(page, name);
    }
    expect(errors).toEqual([]);
  });

  it('says so while Prometheus is down, and carries on once it is back', async () => {
    // While Prometheus shuts down a query may fail another way first; once it is down, nginx
    // answers for it, and the page says that.
    const down = 'not updating: the query API answered an error: Prometheus is not answering';
    await run('docker', ['compose', 'stop', 'prometheus'], env);
    try {
      await until(`"${down}" shown`, (s) => s.status === 'error' && s.statusText === down);
    } finally {
      await run('docker', ['compose', 'up', '-d', '--wait', '--no-deps', 'prometheus'], env);
    }
    // Its samples went with it (a tmpfs): the page fills again from the new ones.
    await until('updating again, with the 4 replicas', (s) => s.status === 'ok' && s.replicas.length === 4);
  });
});
