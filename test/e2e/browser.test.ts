// The page in a real browser, as a person uses it: each reload lands on the next replica, the
// page's own tally agrees, a load is one request and nothing more, and the page reads well on a
// phone and on a laptop.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, layoutOf, type NginxRequest, nginxRequests, screenshot } from './browser.js';
import { BASE_URL, containerIds, eventually, inspect, make, tally } from './lab.js';

const WIDE = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

/** One page load, as the browser and the page saw it. */
interface Load {
  /** X-Hostname of the answer: the replica nginx picked. */
  answeredBy: string;
  /** The hostname the page shows. */
  shown: string;
  /** The page's tally, from localStorage: loads per hostname. */
  tally: Record<string, number>;
  background: string;
  /** Every request the browser made from this load's start to the next one's. */
  requests: string[];
}

/** Loads per hostname. */
function countBy(hostnames: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of hostnames) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}

/** The page's tally as it shows it: loads per hostname. */
async function tallyOf(page: Page): Promise<Record<string, number>> {
  const entries = await page.$$eval('#tally li[data-hostname][data-count]', (items) =>
    items.map((li) => [li.dataset.hostname, Number(li.dataset.count)]),
  );
  return Object.fromEntries(entries);
}

describe('the page in Chromium', () => {
  let browser: Browser;
  // Console errors and uncaught exceptions, per page.
  const errors = new WeakMap<Page, string[]>();

  beforeAll(async () => {
    browser = await launchChromium();
  });

  afterAll(async () => {
    try {
      await browser?.close();
    } finally {
      // The other files expect the lab's 3 replicas.
      await make('scale', 'N=3');
    }
  });

  /** A page in a context of its own: empty localStorage, so the tally starts at nothing. */
  async function freshPage(viewport = WIDE): Promise<Page> {
    const context = await browser.newContext({ viewport, colorScheme: 'light' });
    const page = await context.newPage();
    const seen: string[] = [];
    errors.set(page, seen);
    page.on('console', (message) => {
      if (message.type() === 'error') seen.push(message.text());
    });
    page.on('pageerror', (error) => seen.push(String(error)));
    return page;
  }

  /** Opens the page (or reloads it, once open) `count` times in a row. */
  async function loadRepeatedly(page: Page, count: number): Promise<Load[]> {
    const requests: string[] = [];
    const record = (request: { method(): string; url(): string }) =>
      requests.push(`${request.method()} ${request.url()}`);
    page.on('request', record);
    const loads: Load[] = [];
    try {
      for (let i = 0; i < count; i++) {
        const from = requests.length;
        const response = page.url() === 'about:blank' ? await page.goto(`${BASE_URL}/`) : await page.reload();
        expect(response?.status()).toBe(200);
        loads.push({
          answeredBy: response?.headers()['x-hostname'] ?? '(none)',
          shown: (await page.textContent('#hostname')) ?? '',
          tally: await tallyOf(page),
          background: await page.evaluate(() => getComputedStyle(document.body).backgroundColor),
          requests: requests.slice(from),
        });
      }
    } finally {
      page.off('request', record);
    }
    return loads;
  }

  /** Waits until nginx spreads requests evenly over `replicas`, after a scale. */
  async function evenlyOver(replicas: number): Promise<string[]> {
    const hostnames = (await inspect(await containerIds('hello'))).map((c) => c.Config.Hostname);
    expect(hostnames).toHaveLength(replicas);
    const even = await eventually(async () => {
      const seen = await tally(replicas * 2);
      const counts = Object.values(seen.hostnames);
      return counts.length === replicas && counts.every((count) => count === 2);
    }, 60_000);
    expect(even, `nginx not even over ${replicas} replicas within 60 s`).toBe(true);
    return hostnames;
  }

  /** Checks a series of loads against round-robin over `hostnames`, and the page against it. */
  function expectRoundRobin(loads: Load[], hostnames: string[], each: number, seenByNginx: NginxRequest[]) {
    const answeredBy = loads.map((load) => load.answeredBy);
    expect(countBy(answeredBy)).toEqual(Object.fromEntries(hostnames.map((name) => [name, each])));
    // nginx received the loads and nothing else: no favicon, no second request of any kind.
    expect(seenByNginx.map((entry) => entry.request)).toEqual(loads.map(() => 'GET / HTTP/1.1'));
    loads.forEach((load, i) => {
      expect(load.requests, `load ${i + 1}`).toEqual([`GET ${BASE_URL}/`]);
      expect(load.shown).toBe(load.answeredBy);
      expect(load.tally, `tally after load ${i + 1}`).toEqual(countBy(answeredBy.slice(0, i + 1)));
    });
  }

  it('9 loads over 3 replicas: each replica 3 times, one request a load, the tally right', async () => {
    await make('scale', 'N=3');
    const hostnames = await evenlyOver(3);
    const page = await freshPage();
    let loads: Load[] = [];
    const seenByNginx = await nginxRequests(async () => {
      loads = await loadRepeatedly(page, 9);
    });
    expectRoundRobin(loads, hostnames, 3, seenByNginx);
    expect(await page.textContent('#summary')).toBe('3 replicas in 9 page loads');
    expect(errors.get(page)).toEqual([]);

    // A replica keeps its colour from load to load, and the replicas do not all share one.
    const colours = new Map<string, Set<string>>();
    for (const { answeredBy, background } of loads) {
      colours.set(answeredBy, (colours.get(answeredBy) ?? new Set()).add(background));
    }
    for (const [name, backgrounds] of colours) expect([...backgrounds], name).toHaveLength(1);
    expect(new Set(loads.map((load) => load.background)).size).toBeGreaterThan(1);
    await page.context().close();
  });

  it('reads well at 1280 and 390 px: nothing wider than the window, the hostname large and whole', async () => {
    const page = await freshPage(WIDE);
    await loadRepeatedly(page, 6);
    for (const [viewport, name] of [
      [WIDE, 'page-1280'],
      [PHONE, 'page-390'],
    ] as const) {
      await page.setViewportSize(viewport);
      // The next replica at this width: the two pictures show two replicas and their colours.
      if (viewport === PHONE) await loadRepeatedly(page, 1);
      const layout = await layoutOf(page, '#hostname');
      expect(layout.scrollWidth, name).toBeLessThanOrEqual(layout.innerWidth);
      expect(layout.fontSizePx, name).toBeGreaterThanOrEqual(32);
      expect(layout.box.left, name).toBeGreaterThanOrEqual(0);
      expect(layout.box.right, name).toBeLessThanOrEqual(layout.innerWidth);
      expect(layout.box.bottom, name).toBeLessThanOrEqual(viewport.height);
      // On one line: a hostname broken in two is not read at a glance.
      expect(layout.box.height, name).toBeLessThan(2 * layout.fontSizePx);
      await screenshot(page, name);
    }
    expect(errors.get(page)).toEqual([]);
    await page.context().close();
  });

  it('6 loads over 2 replicas: each replica 3 times (a second request per load would make it 6 and 0)', async () => {
    await make('scale', 'N=2');
    const hostnames = await evenlyOver(2);
    const page = await freshPage();
    let loads: Load[] = [];
    const seenByNginx = await nginxRequests(async () => {
      loads = await loadRepeatedly(page, 6);
    });
    expectRoundRobin(loads, hostnames, 3, seenByNginx);
    expect(await page.textContent('#summary')).toBe('2 replicas in 6 page loads');
    expect(errors.get(page)).toEqual([]);
    await page.context().close();
  });

  it('would see a favicon request: a page without an icon of its own makes Chromium ask nginx for one', async () => {
    // The check above relies on nginx's log, because Playwright does not report favicon requests.
    const page = await freshPage();
    const seenByNginx = await nginxRequests(async () => {
      await page.goto(`${BASE_URL}/info`);
    });
    expect(seenByNginx.map((entry) => entry.request)).toEqual([
      'GET /info HTTP/1.1',
      'GET /favicon.ico HTTP/1.1',
    ]);
    await page.context().close();
  });
});
