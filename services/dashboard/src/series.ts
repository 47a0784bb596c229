// A chart's data over the page's window: range answers merged as they come, then aligned on one
// time axis for uPlot.
import type { Labels, Series } from './prometheus.js';

/** One identity for a label set, whatever the order Prometheus lists the labels in. */
export function seriesKey(labels: Labels): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * The series after a refresh: `fresh` answers every point from `freshFrom` on (a series it lacks
 * has none there any more), `old` keeps what came before; points before `keepFrom` leave the window.
 */
export function mergeRange(old: Series[], fresh: Series[], freshFrom: number, keepFrom: number): Series[] {
  const merged = new Map<string, Series>();
  for (const series of old) {
    const points = series.points.filter(([t]) => t >= keepFrom && t < freshFrom);
    if (points.length > 0) merged.set(seriesKey(series.labels), { labels: series.labels, points });
  }
  for (const series of fresh) {
    const key = seriesKey(series.labels);
    const points = series.points.filter(([t]) => t >= keepFrom);
    const before = merged.get(key)?.points ?? [];
    merged.set(key, { labels: series.labels, points: [...before, ...points] });
  }
  return [...merged.values()].filter((series) => series.points.length > 0);
}

/**
 * Values on one axis, from `from` to `to` every `step` seconds: null where a series has no point
 * (uPlot leaves a gap there, so a replica that is down shows as a break in its line).
 */
export function align(
  series: { points: [number, number][] }[],
  from: number,
  to: number,
  step: number,
): { x: number[]; ys: (number | null)[][] } {
  const x: number[] = [];
  for (let t = from; t <= to; t += step) x.push(t);
  const ys = series.map(({ points }) => {
    const values: (number | null)[] = x.map(() => null);
    for (const [t, v] of points) {
      const i = Math.round((t - from) / step);
      if (i >= 0 && i < x.length && Number.isFinite(v)) values[i] = v;
    }
    return values;
  });
  return { x, ys };
}
