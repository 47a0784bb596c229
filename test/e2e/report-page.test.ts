// The HTML reports of `make bench` and `make bench-sweep`, opened from disk with the network cut
// off, as someone opens a report they were sent: every chart draws (uPlot's over time, the inline
// SVG bars), nothing is fetched, nothing fails, and nothing is wider than the window at 1280 and
// 390 px.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshot } from './browser.js';
import { make } from './lab.js';

const WIDTHS = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
];

// Seconds per bench: short for the tests, longer for the README's pictures (mk/screenshots.mk).
const DURATION = process.env.REPORT_DURATION || '2';

/** One small chart or overlay (an inline SVG: bars, event lines) as the browser laid it out. */
interface Chart {
  label: string;
  width: number;
  height: number;
  /** Shapes with a box of their own: gridlines and bar tracks count. */
  shapes: number;
  /** Shapes that carry data (not a track, not a gridline, not empty in the markup)... */
  marks: number;
  /** ... and how many of them the browser drew with a box of their own. */
  marksDrawn: number;
}

function chartsOf(page: Page): Promise<Chart[]> {
  return page.$$eval('svg', (svgs) =>
    svgs.map((svg) => {
      const drawn = (shape: Element) => {
        const box = shape.getBoundingClientRect();
        return box.width > 0 || box.height > 0;
      };
      // A zero-width bar or a line with no points is "none" on purpose, not a rendering fault.
      const emptyInMarkup = (shape: Element) =>
        ['width', 'height'].some((name) => Number.parseFloat(shape.getAttribute(name) ?? '1') === 0) ||
        ['d', 'points'].some((name) => shape.getAttribute(name)?.trim() === '');
      const shapes = [...svg.querySelectorAll('rect, path, line, polyline, polygon, circle')];
      const marks = shapes.filter((shape) => !shape.matches('.track, .gridline') && !emptyInMarkup(shape));
      const { width, height } = svg.getBoundingClientRect();
      return {
        label: svg.getAttribute('aria-label') ?? svg.closest('li')?.textContent ?? '(no label)',
        width,
        height,
        shapes: shapes.filter(drawn).length,
        marks: marks.length,
        marksDrawn: marks.filter(drawn).length,
      };
    }),
  );
}

/** One chart over time (uPlot, on a canvas) as the browser drew it. */
interface Plot {
  label: string;
  width: number;
  height: number;
  /** The columns or points in the chart's data, and how many uPlot laid out in the plot. */
  marks: number;
  drawn: number;
  canvasWidth: number;
  /** Pixels the canvas painted: its gridlines and its data. */
  painted: number;
}

async function plotsOf(page: Page): Promise<Plot[]> {
  // uPlot draws in the frame after it is made.
  await page.waitForFunction(() =>
    [...document.querySelectorAll<HTMLElement>('div.plot')].every((box) => box.dataset.drawn),
  );
  return page.$$eval('div.plot', (boxes) =>
    (boxes as HTMLElement[]).map((box) => {
      const canvas = box.querySelector('canvas') as HTMLCanvasElement;
      const { data } = (canvas.getContext('2d') as CanvasRenderingContext2D).getImageData(
        0,
        0,
        canvas.width,
        canvas.height,
      );
      let painted = 0;
      for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 0) painted++;
      const { width, height } = box.getBoundingClientRect();
      return {
        label: box.getAttribute('aria-label') ?? '(no label)',
        width,
        height,
        marks: Number(box.dataset.marks),
        drawn: Number(box.dataset.drawn),
        canvasWidth: canvas.width,
        painted,
      };
    }),
  );
}

describe('the HTML reports in Chromium, from disk and offline', () => {
  let browser: Browser;
  // A reports folder of its own, so a person's reports stay as they are.
  let reports: string;

  beforeAll(async () => {
    reports = await mkdtemp(join(tmpdir(), 'hello-lab-report-page-'));
    await make('scale', 'N=3');
    await make('bench', `DURATION=${DURATION}`, `REPORTS=${reports}`);
    await make('bench-sweep', 'SWEEP_MAX=2', `DURATION=${DURATION}`, `REPORTS=${reports}`);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await rm(reports, { recursive: true, force: true });
  });

  // Both reports have at least two plots with data in a run without failures: throughput and p99.
  it.each([
    ['report', 'bench-latest.html'],
    ['sweep', 'sweep-latest.html'],
  ] as const)('%s (%s): every chart drawn, no request, no error', async (name, file) => {
    const url = pathToFileURL(join(reports, file)).href;
    for (const viewport of WIDTHS) {
      const at = `${name} at ${viewport.width} px`;
      const context = await browser.newContext({ offline: true, viewport, colorScheme: 'light' });
      try {
        // Anything but the file itself is refused and written down: a script, a font, a style.
        const fetched = new Set<string>();
        await context.route('**/*', (route) => {
          if (route.request().url() === url) return route.continue();
          fetched.add(route.request().url());
          return route.abort();
        });
        context.on('request', (request) => {
          if (request.url() !== url) fetched.add(request.url());
        });
        const page = await context.newPage();
        const errors: string[] = [];
        page.on('console', (message) => {
          if (message.type() === 'error') errors.push(message.text());
        });
        page.on('pageerror', (error) => errors.push(String(error)));

        await page.goto(url);
        expect([...fetched], at).toEqual([]);
        expect(await page.evaluate(() => performance.getEntriesByType('resource').length), at).toBe(0);
        expect(errors, at).toEqual([]);

        const charts = await chartsOf(page);
        for (const chart of charts) {
          const which = `${at}: ${chart.label}`;
          expect(chart.width * chart.height, which).toBeGreaterThan(0);
          expect(chart.shapes, which).toBeGreaterThan(0);
          expect(chart.marksDrawn, which).toBe(chart.marks);
        }
        const plots = await plotsOf(page);
        for (const plot of plots) {
          const which = `${at}: ${plot.label}`;
          expect(plot.width * plot.height, which).toBeGreaterThan(0);
          expect(plot.drawn, which).toBe(plot.marks);
          // The dashed gridlines paint at most one and a half rows of pixels: the data is more.
          if (plot.marks > 0) expect(plot.painted, which).toBeGreaterThan(2 * plot.canvasWidth);
        }
        expect(plots.filter((plot) => plot.marks > 0).length, at).toBeGreaterThanOrEqual(2);

        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `${at}: wider than the window by`).toBeLessThanOrEqual(0);
        await screenshot(page, `${name}-${viewport.width}`);
      } finally {
        await context.close();
      }
    }
  });
});
