import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { escapeHtml } from '@hello-lab/shared/html';

/*
 * The reports' charts, drawn by uPlot (the live page's chart library) from data in the page: the
 * library is inlined with a constant script that draws every chart, so a report stays one file
 * that opens from disk with no network. A chart is a box for the plot only, no axes: its scale
 * and labels are HTML around it, so they keep their size from a 390 px phone to a 1280 px screen,
 * and the event flags above it line up with the plot's full width.
 */

/** Columns as rectangles in chart units: left edges, one width, bottoms and tops. */
export interface Columns {
  colour: string;
  /** What the columns count, for the chart's text alternative. */
  name: string;
  x: number[];
  width: number;
  y0: number[];
  y1: number[];
}

/** A line through points; null leaves a gap. */
export interface LinePoints {
  colour: string;
  name: string;
  x: number[];
  y: (number | null)[];
}

/** One chart: x from 0 to xMax, y from 0 to yMax, and either columns or a line. */
export type ChartSpec = { label: string; xMax: number; yMax: number } & (
  | { columns: Columns[] }
  | { line: LinePoints }
);

const load = createRequire(import.meta.url);
const UPLOT_JS = readFileSync(load.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8');
/** uPlot's own style, for the page's <style>. */
export const UPLOT_CSS = readFileSync(load.resolve('uplot/dist/uPlot.min.css'), 'utf8');

/**
 * Draws each chart from the JSON beside its box. Colours may be CSS variables of the page (its
 * light and dark themes), read when drawing. Dashed gridlines at quarters of the height. Each box
 * then says how many of its marks (columns, points) there are and how many uPlot laid out in
 * the plot (data-marks, data-drawn), so that a test in a browser can tell a chart drawn whole.
 */
const DRAW = `
(() => {
  const colour = (c) => c.startsWith('var(')
    ? getComputedStyle(document.documentElement).getPropertyValue(c.slice(4, -1)).trim() : c;
  const grid = (u) => {
    const { ctx, bbox } = u;
    ctx.save();
    ctx.strokeStyle = colour('var(--line)');
    ctx.setLineDash([3, 3]);
    ctx.lineWidth = 1;
    for (const q of [0.25, 0.5, 0.75]) {
      const y = Math.round(bbox.top + bbox.height * q) + 0.5;
      ctx.beginPath();
      ctx.moveTo(bbox.left, y);
      ctx.lineTo(bbox.left + bbox.width, y);
      ctx.stroke();
    }
    ctx.restore();
  };
  for (const spec of document.querySelectorAll('script.chart-spec')) {
    const chart = JSON.parse(spec.textContent);
    const box = spec.previousElementSibling;
    let data, series, drawn = 0;
    if (chart.line) {
      data = [chart.line.x, chart.line.y];
      series = [{}, { stroke: colour(chart.line.colour), width: 2, spanGaps: false, points: { show: false } }];
    } else {
      const n = Math.max(1, ...chart.columns.map((c) => c.x.length));
      const index = Array.from({ length: n }, (_, i) => i);
      data = [index, ...chart.columns.map((c) => index.map((i) => (i < c.y1.length ? c.y1[i] : null)))];
      series = [{}, ...chart.columns.map((c) => ({
        fill: colour(c.colour),
        width: 0,
        points: { show: false },
        paths: uPlot.paths.bars({
          align: 1,
          each: (_u, _series, _i, _left, _top, width) => { if (width > 0) drawn++; },
          disp: {
            x0: { unit: 1, values: () => c.x },
            size: { unit: 1, values: () => [c.width] },
            y0: { unit: 1, values: () => c.y0 },
            y1: { unit: 1, values: () => c.y1 },
          },
        }),
      }))];
    }
    const size = () => ({ width: Math.max(1, box.clientWidth), height: Math.max(1, box.clientHeight) });
    const plot = new uPlot({
      ...size(),
      padding: [0, 0, 0, 0],
      legend: { show: false },
      cursor: { show: false },
      select: { show: false },
      axes: [{ show: false }, { show: false }],
      scales: { x: { time: false, range: () => [0, chart.xMax] }, y: { range: () => [0, chart.yMax] } },
      series,
      hooks: {
        drawClear: [grid, () => { drawn = 0; }],
        draw: [(u) => {
          if (chart.line) {
            const { left, width } = u.bbox;
            drawn = chart.line.x.filter((x, i) => {
              const at = u.valToPos(x, 'x', true);
              return chart.line.y[i] !== null && at >= left && at <= left + width;
            }).length;
          }
          box.dataset.drawn = String(drawn);
        }],
      },
    }, data, box);
    box.dataset.marks = String(chart.line
      ? chart.line.y.filter((y) => y !== null).length
      : chart.columns.reduce((sum, c) => sum + c.x.length, 0));
    addEventListener('resize', () => plot.setSize(size()));
  }
})();
`;

const SCRIPT = `${UPLOT_JS}\n${DRAW}`;

/** The one script of a report page, and its hash for the page's Content-Security-Policy. */
export const CHART_SCRIPT = {
  text: SCRIPT,
  hash: `'sha256-${createHash('sha256').update(SCRIPT).digest('base64')}'`,
};

/** A number for the chart's data: at most three decimals. */
const round = (value: number) => Number(value.toFixed(3));

/**
 * A chart's box and its data. The JSON sits in a data block (never run); `<` is escaped so that
 * nothing in it can close the block.
 */
export function chartBox(spec: ChartSpec): string {
  const data =
    'line' in spec
      ? {
          ...spec,
          line: {
            ...spec.line,
            x: spec.line.x.map(round),
            y: spec.line.y.map((v) => (v === null ? v : round(v))),
          },
        }
      : {
          ...spec,
          columns: spec.columns.map((c) => ({
            ...c,
            x: c.x.map(round),
            y0: c.y0.map(round),
            y1: c.y1.map(round),
          })),
        };
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  return `<div class="plot" role="img" aria-label="${escapeHtml(spec.label)}"></div><script type="application/json" class="chart-spec">${json}</script>`;
}

/** The chart data of a page, in order: for tests, and for anyone reading a report's source. */
export function chartSpecs(html: string): ChartSpec[] {
  return [...html.matchAll(/<script type="application\/json" class="chart-spec">(.*?)<\/script>/gs)].map(
    (match) => JSON.parse(match[1] ?? 'null') as ChartSpec,
  );
}
