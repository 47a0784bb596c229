// When the page asks Prometheus and for which seconds: the whole window once, then every second
// the last few seconds of each chart. The page (main.ts) and `make perf`, which sends the same
// requests to measure what the page costs, both take them from here.
import { rangePath } from './prometheus.js';
import { type ChartName, QUERIES } from './queries.js';

/** Seconds of history on the page. */
export const WINDOW = 300;
/** Seconds between points: Prometheus scrapes the replicas every second. */
export const STEP = 1;
/** Seconds each refresh asks again: rates over the last seconds still move as scrapes arrive. */
export const OVERLAP = 15;
export const REFRESH_MS = 1000;

export const CHART_NAMES = Object.keys(QUERIES) as ChartName[];

/**
 * The seconds a refresh at `to` shows (from) and asks for (freshFrom): the whole window when
 * nothing is shown yet, else from OVERLAP seconds before what is.
 */
export function refreshRange(to: number, shownTo: number | undefined): { from: number; freshFrom: number } {
  const from = to - WINDOW;
  return { from, freshFrom: shownTo === undefined ? from : Math.max(from, shownTo - OVERLAP) };
}

/** The paths, relative to /lab/, of one refresh's range queries: one per chart. */
export function refreshPaths(to: number, shownTo: number | undefined): string[] {
  const { freshFrom } = refreshRange(to, shownTo);
  return CHART_NAMES.map((name) => rangePath(QUERIES[name], freshFrom, to, STEP));
}
