// What the browser tests share: Debian's Chromium driven by playwright-core, where screenshots go,
// and the requests nginx itself saw (the browser's own view misses some, see nginxRequests).
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { BASE_URL, compose, eventually, PROJECT } from './lab.js';

/** Debian's `chromium` package; CHROMIUM points elsewhere. No browser is downloaded. */
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no browser at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM to one`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      // Root in a container has no user namespace for the sandbox.
      '--no-sandbox',
      '--disable-gpu',
      // Chromium's own connections (updates, sync, field trials) would wait on a closed network
      // and, on an open one, are traffic the tests do not want.
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Where screenshots go: docs/screenshots when `make screenshots` sets SCREENSHOTS_DIR, else a
 * folder of the test run's own, so a test run never rewrites the committed pictures.
 */
export const SCREENSHOTS_DIR = process.env.SCREENSHOTS_DIR || join(tmpdir(), `${PROJECT}-screenshots`);

/** A full-page screenshot as SCREENSHOTS_DIR/<name>.png; returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOTS_DIR, { recursive: true });
  const path = join(SCREENSHOTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** What a page's layout shows about overflow, and where and how large one element is. */
export interface Layout {
  innerWidth: number;
  scrollWidth: number;
  box: { left: number; right: number; top: number; bottom: number; width: number; height: number };
  fontSizePx: number;
}

export function layoutOf(page: Page, selector: string): Promise<Layout> {
  return page.$eval(selector, (element) => {
    const { left, right, top, bottom, width, height } = element.getBoundingClientRect();
    return {
      innerWidth: window.innerWidth,
      scrollWidth: document.documentElement.scrollWidth,
      box: { left, right, top, bottom, width, height },
      fontSizePx: Number.parseFloat(getComputedStyle(element).fontSize),
    };
  });
}

/** One line of nginx's JSON access log. */
export interface NginxRequest {
  remote: string;
  request: string;
  status: number;
  upstream: string;
}

/** A browser asks for a favicon just after a load: how long to leave it, if it does. */
const LATE_REQUESTS_MS = 2_000;

/**
 * Sends a request nginx logs with `label` in its URL, and resolves once that line is in nginx's
 * log: every request before it has been logged by then (nginx writes its log in order, in
 * buffers flushed at least every second).
 */
async function mark(label: string): Promise<void> {
  await (await fetch(`${BASE_URL}/healthz?lab-mark=${label}`)).arrayBuffer();
  const logged = await eventually(
    async () =>
      (await compose('logs', '--no-log-prefix', '--no-color', 'nginx')).stdout.includes(`lab-mark=${label}`),
    60_000,
    200,
  );
  if (!logged) throw new Error(`nginx did not log the mark ${label} within 60 s`);
}

/**
 * Runs `action` and returns every request that reached nginx from outside the lab meanwhile,
 * from nginx's own log, between two marks. Playwright hides the favicon requests a browser makes
 * (on purpose: they are unpredictable), so only the server can tell that a page made no second
 * request. Nothing else may send requests to the lab while `action` runs.
 */
export async function nginxRequests(action: () => Promise<void>): Promise<NginxRequest[]> {
  const id = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  await mark(`before-${id}`);
  await action();
  await new Promise((resolve) => setTimeout(resolve, LATE_REQUESTS_MS));
  await mark(`after-${id}`);
  const { stdout } = await compose('logs', '--no-log-prefix', '--no-color', 'nginx');
  const lines = stdout.split('\n');
  const from = lines.findIndex((line) => line.includes(`lab-mark=before-${id}`));
  const to = lines.findIndex((line) => line.includes(`lab-mark=after-${id}`));
  return lines
    .slice(from + 1, to)
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as NginxRequest)
    .filter((entry) => entry.remote !== '127.0.0.1');
}
