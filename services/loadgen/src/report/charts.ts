import { escapeHtml } from '@hello-lab/shared/html';
import { percent, versionLabel } from '../format.js';
import type { TimelineSecond } from '../timeline.js';
import { ERROR_COLOUR, hostnameColour, NO_HEADER_COLOUR, NON2XX_COLOUR } from './colours.js';
import { type Columns, chartBox } from './uplot-charts.js';

/*
 * The small bars are inline SVG; the charts over time are uPlot's (uplot-charts.ts). Their text is
 * HTML around them, so it keeps its size from a 390 px phone to a 1280 px screen.
 */

/** A number for SVG coordinates: at most three decimals, no trailing zeros. */
export const svgNumber = (value: number) => Number(value.toFixed(3)).toString();

/** A horizontal bar as wide as `share` (0 to 1) of its track. */
export function barSvg(share: number, colour: string): string {
  const width = svgNumber(Math.max(0, Math.min(1, share)) * 100);
  return `<svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true"><rect class="track" width="100" height="10" rx="2"/><rect width="${width}" height="10" rx="2" style="fill:${colour}"/></svg>`;
}

export interface BarRow {
  label: string;
  value: string;
  share: number;
  colour: string;
}

export function barRows(rows: readonly BarRow[], className: string): string {
  const items = rows.map(
    (row) =>
      `<li><span class="name">${escapeHtml(row.label)}</span><span class="value">${escapeHtml(row.value)}</span>${barSvg(row.share, row.colour)}</li>`,
  );
  return `<ul class="bars ${className}">${items.join('')}</ul>`;
}

export function countChart(
  counts: Record<string, number>,
  total: number,
  label: (name: string) => string,
  colour: (name: string) => string,
): string {
  return barRows(
    Object.entries(counts).map(([name, count]) => ({
      label: label(name),
      value: `${count} · ${percent(count, total)}`,
      share: total > 0 ? count / total : 0,
      colour: colour(name),
    })),
    'counts',
  );
}

/** Gridlines at quarters of the height, drawn thin whatever the scaling. */
export const GRID = [25, 50, 75]
  .map(
    (y) => `<line class="gridline" x1="0" x2="100%" y1="${y}" y2="${y}" vector-effect="non-scaling-stroke"/>`,
  )
  .join('');

/** Stacks each second's counts from the bottom up, one column series per entry of `stack`. */
function stackedColumns(
  timeline: readonly TimelineSecond[],
  stack: readonly { name: string; colour: string; count: (second: TimelineSecond) => number }[],
  scale: (second: TimelineSecond) => number = () => 1,
  { left, width }: { left: number; width: number } = { left: 0.12, width: 0.76 },
): Columns[] {
  const columns = stack.map(({ name, colour }): Columns => ({ name, colour, x: [], width, y0: [], y1: [] }));
  for (const second of timeline) {
    let y = 0;
    stack.forEach(({ count }, i) => {
      const value = count(second) * scale(second);
      const series = columns[i];
      if (value === 0 || !series) return;
      series.x.push(second.second + left);
      series.y0.push(y);
      y += value;
      series.y1.push(y);
    });
  }
  return columns;
}

/**
 * Requests per second as columns: the answers stacked by version, the requests that got no answer
 * on top in red, up to the busiest second.
 */
export function throughputChart(
  timeline: readonly TimelineSecond[],
  seconds: number,
  colours: Map<string, string>,
): string {
  const peak = Math.max(1, ...timeline.map((second) => second.requests));
  const stack = [...colours].map(([version, colour]) => ({
    name: versionLabel(version),
    colour,
    count: (second: TimelineSecond) => second.versions[version] ?? 0,
  }));
  stack.push({ name: 'no answer (error)', colour: ERROR_COLOUR, count: (second) => second.errors });
  return chartBox({
    label: `Requests per second, peak ${peak}`,
    xMax: seconds,
    yMax: peak,
    columns: stackedColumns(timeline, stack),
  });
}

/** The p99 of each second as a line, in the middle of its second; seconds without answers leave a gap. */
export function p99Chart(timeline: readonly TimelineSecond[], seconds: number): string {
  const peak = Math.max(1, ...timeline.map((second) => second.p99Ms ?? 0));
  const drawn = timeline.filter((second) => second.second + 0.5 <= seconds);
  return chartBox({
    label: `p99 latency per second, peak ${peak} ms`,
    xMax: seconds,
    // The peak at 96 % of the height, so that the line stays clear of the top.
    yMax: peak / 0.96,
    line: {
      name: 'p99',
      colour: 'var(--accent)',
      x: drawn.map((second) => second.second + 0.5),
      y: drawn.map((second) => second.p99Ms),
    },
  });
}

/**
 * Each second's answers as shares by version, stacked to the full height: a rollout shows as one
 * colour giving way to the next. One series per version, in the order of `versions`.
 */
export function versionsChart(
  timeline: readonly TimelineSecond[],
  seconds: number,
  versions: readonly string[],
  colours: Map<string, string>,
): string {
  return sharesChart(timeline, seconds, {
    names: versions,
    of: (second) => second.versions,
    label: versionLabel,
    colour: (version) => colours.get(version) ?? NO_HEADER_COLOUR,
    title: 'Share of the answers by version, per second',
  });
}

/**
 * The same by node, on a cluster: a drained or killed node's colour giving way to the others'.
 */
export function nodesChart(
  timeline: readonly TimelineSecond[],
  seconds: number,
  nodes: readonly string[],
): string {
  return sharesChart(timeline, seconds, {
    names: nodes,
    of: (second) => second.nodes,
    label: (node) => node,
    colour: hostnameColour,
    title: 'Share of the answers by node, per second',
  });
}

interface Shares {
  names: readonly string[];
  of: (second: TimelineSecond) => Readonly<Record<string, number>>;
  label: (name: string) => string;
  colour: (name: string) => string;
  title: string;
}

/** Each second's answers as shares of `names`, stacked to the full height, one series a name. */
function sharesChart(timeline: readonly TimelineSecond[], seconds: number, shares: Shares): string {
  const { names, of } = shares;
  const answers = (second: TimelineSecond) => names.reduce((sum, name) => sum + (of(second)[name] ?? 0), 0);
  const stack = names.map((name) => ({
    name: shares.label(name),
    colour: shares.colour(name),
    count: (second: TimelineSecond) => of(second)[name] ?? 0,
  }));
  return chartBox({
    label: shares.title,
    xMax: seconds,
    yMax: 100,
    columns: stackedColumns(timeline, stack, (second) => (answers(second) > 0 ? 100 / answers(second) : 0), {
      left: 0,
      width: 1,
    }),
  });
}

/**
 * The failed requests of each second, scaled to the worst second rather than to the throughput,
 * so that a handful of them still shows: answers outside 2xx, and requests without an answer on top.
 */
export function failedChart(timeline: readonly TimelineSecond[], seconds: number): string {
  const peak = Math.max(1, ...timeline.map((second) => second.non2xx + second.errors));
  return chartBox({
    label: `Failed requests per second, peak ${peak}`,
    xMax: seconds,
    yMax: peak,
    columns: stackedColumns(timeline, [
      { name: 'non-2xx answer', colour: NON2XX_COLOUR, count: (second) => second.non2xx },
      { name: 'no answer (error)', colour: ERROR_COLOUR, count: (second) => second.errors },
    ]),
  });
}
