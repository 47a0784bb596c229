import { escapeHtml } from '@hello-lab/shared/html';
import { percent, versionLabel } from '../format.js';
import type { TimelineSecond } from '../timeline.js';
import { ERROR_COLOUR, NO_HEADER_COLOUR, NON2XX_COLOUR } from './colours.js';

/*
 * Charts as inline SVG that draws bars and lines only: their text is HTML around them, so it keeps
 * its size from a 390 px phone to a 1280 px screen.
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

/**
 * Requests per second as columns: the answers stacked by version, the requests that got no answer
 * on top in red. The SVG stretches to its box (one unit per second across, 100 units up); labels
 * are HTML around it.
 */
export function throughputSvg(
  timeline: readonly TimelineSecond[],
  seconds: number,
  colours: Map<string, string>,
): string {
  const peak = Math.max(1, ...timeline.map((second) => second.requests));
  const rects: string[] = [];
  for (const second of timeline) {
    let y = 100;
    const stack: Array<[number, string]> = [...colours].map(([version, colour]) => [
      second.versions[version] ?? 0,
      colour,
    ]);
    stack.push([second.errors, ERROR_COLOUR]);
    for (const [count, colour] of stack) {
      if (count === 0) continue;
      const height = (count / peak) * 100;
      y -= height;
      rects.push(
        `<rect x="${svgNumber(second.second + 0.12)}" y="${svgNumber(y)}" width="0.76" height="${svgNumber(height)}" style="fill:${colour}"/>`,
      );
    }
  }
  return `<svg class="plot" viewBox="0 0 ${svgNumber(seconds)} 100" preserveAspectRatio="none" role="img" aria-label="Requests per second, peak ${peak}">${GRID}${rects.join('')}</svg>`;
}

/** The p99 of each second as a line; seconds without answers leave a gap. */
export function p99Svg(timeline: readonly TimelineSecond[], seconds: number): string {
  const peak = Math.max(1, ...timeline.map((second) => second.p99Ms ?? 0));
  let path = '';
  let drawing = false;
  for (const second of timeline) {
    if (second.p99Ms === null || second.second + 0.5 > seconds) {
      drawing = false;
      continue;
    }
    const point = `${svgNumber(second.second + 0.5)} ${svgNumber(100 - (second.p99Ms / peak) * 96)}`;
    path += `${drawing ? 'L' : 'M'}${point} `;
    drawing = true;
  }
  const line = path
    ? `<path d="${path.trim()}" class="line" stroke-linejoin="round" vector-effect="non-scaling-stroke"/>`
    : '';
  return `<svg class="plot" viewBox="0 0 ${svgNumber(seconds)} 100" preserveAspectRatio="none" role="img" aria-label="p99 latency per second, peak ${peak} ms">${GRID}${line}</svg>`;
}

/**
 * Each second's answers as shares by version, stacked to the full height: a rollout shows as one
 * colour giving way to the next. One group per version, in the order of `versions`.
 */
export function versionsSvg(
  timeline: readonly TimelineSecond[],
  seconds: number,
  versions: readonly string[],
  colours: Map<string, string>,
): string {
  const rects = new Map(versions.map((version) => [version, [] as string[]]));
  for (const second of timeline) {
    const answers = versions.reduce((sum, version) => sum + (second.versions[version] ?? 0), 0);
    let y = 100;
    for (const version of versions) {
      const count = second.versions[version] ?? 0;
      if (count === 0 || answers === 0) continue;
      const height = (count / answers) * 100;
      y -= height;
      rects
        .get(version)
        ?.push(
          `<rect x="${svgNumber(second.second)}" y="${svgNumber(y)}" width="1" height="${svgNumber(height)}"/>`,
        );
    }
  }
  const series = versions.map(
    (version) =>
      `<g class="series" style="fill:${colours.get(version) ?? NO_HEADER_COLOUR}"><title>${escapeHtml(versionLabel(version))}</title>${(rects.get(version) ?? []).join('')}</g>`,
  );
  return `<svg class="plot" viewBox="0 0 ${svgNumber(seconds)} 100" preserveAspectRatio="none" role="img" aria-label="Share of the answers by version, per second">${GRID}${series.join('')}</svg>`;
}

/**
 * The failed requests of each second, scaled to the worst second rather than to the throughput,
 * so that a handful of them still shows: answers outside 2xx, and requests without an answer on top.
 */
export function failedSvg(timeline: readonly TimelineSecond[], seconds: number): string {
  const peak = Math.max(1, ...timeline.map((second) => second.non2xx + second.errors));
  const rects: string[] = [];
  for (const second of timeline) {
    let y = 100;
    for (const [count, colour] of [
      [second.non2xx, NON2XX_COLOUR],
      [second.errors, ERROR_COLOUR],
    ] as const) {
      if (count === 0) continue;
      const height = (count / peak) * 100;
      y -= height;
      rects.push(
        `<rect x="${svgNumber(second.second + 0.12)}" y="${svgNumber(y)}" width="0.76" height="${svgNumber(height)}" style="fill:${colour}"/>`,
      );
    }
  }
  return `<svg class="plot" viewBox="0 0 ${svgNumber(seconds)} 100" preserveAspectRatio="none" role="img" aria-label="Failed requests per second, peak ${peak}">${GRID}${rects.join('')}</svg>`;
}
