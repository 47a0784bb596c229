// What each chart draws: a query's series turned into named, coloured lines.
import { hostnameHue } from '@hello-lab/shared/html';
import type { Series } from './prometheus.js';
import type { ChartName } from './queries.js';

export interface Line {
  /** Stable from one refresh to the next: the chart keeps a line's place and colour by it. */
  key: string;
  label: string;
  colour: string;
  points: [number, number][];
}

/** A replica's colour: the background of its greeting page (services/hello/src/page.ts). */
export function replicaColour(hostname: string): string {
  return `hsl(${hostnameHue(hostname)} 62% 26%)`;
}

/** The replica a series belongs to: its hostname from hello_info, else its address. */
export function replicaName(labels: Record<string, string>): string {
  return labels.hostname || labels.instance || '(unknown)';
}

// Colours for lines that are not replicas, apart from every replica's dark 26 % lightness.
const PALETTE = ['#1f77b4', '#e6550d', '#2ca02c', '#9467bd', '#d62728', '#8c564b', '#e377c2', '#17becf'];
const byVersion = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

/** Several series that make one line (a replica seen at two addresses), their points in time order. */
function gather(series: Series[], keyOf: (series: Series) => string): Map<string, [number, number][]> {
  const lines = new Map<string, [number, number][]>();
  for (const entry of series) {
    const key = keyOf(entry);
    lines.set(key, [...(lines.get(key) ?? []), ...entry.points]);
  }
  for (const points of lines.values()) points.sort(([a], [b]) => a - b);
  return lines;
}

const LATENCY: Record<string, { label: string; colour: string }> = {
  p50: { label: 'p50', colour: PALETTE[0] as string },
  p99: { label: 'p99', colour: PALETTE[4] as string },
  cpu: { label: 'busy loop CPU per answer', colour: '#7f7f7f' },
};

const ERRORS: Record<string, { label: string; colour: string }> = {
  shed: { label: 'shed by a queue (503)', colour: PALETTE[3] as string },
  '500': { label: '500', colour: PALETTE[4] as string },
  '503': { label: '503', colour: PALETTE[1] as string },
};

/** The lines of one chart, in a stable order (replicas and versions by name). */
export function linesOf(chart: ChartName, series: Series[]): Line[] {
  switch (chart) {
    case 'answers':
      return [...gather(series, (s) => replicaName(s.labels))]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([name, points]) => ({ key: name, label: name, colour: replicaColour(name), points }));
    case 'nodes':
      // Coloured as hostnames are: a node's name is the first part of its replicas' hostnames.
      return [...gather(series, (s) => s.labels.node ?? '?')]
        .sort(([a], [b]) => byVersion(a, b))
        .map(([node, points]) => ({ key: node, label: node, colour: replicaColour(node), points }));
    case 'versions': {
      const lines = [...gather(series, (s) => s.labels.version ?? '?')].sort(([a], [b]) => byVersion(a, b));
      return lines.map(([version, points], i) => ({
        key: version,
        label: `v${version}`,
        colour: PALETTE[i % PALETTE.length] as string,
        points,
      }));
    }
    case 'latency':
      return ['p50', 'p99', 'cpu'].flatMap((name) => {
        const found = series.find((s) => s.labels.line === name);
        const style = LATENCY[name] as { label: string; colour: string };
        // Seconds from Prometheus, milliseconds on the chart.
        return found ? [{ key: name, ...style, points: found.points.map(([t, v]) => [t, v * 1000]) }] : [];
      });
    case 'errors':
      return [...gather(series, (s) => s.labels.status_code ?? '?')]
        .sort(([a], [b]) => byVersion(a, b))
        .map(([status, points], i) => ({
          key: status,
          ...(ERRORS[status] ?? { label: status, colour: PALETTE[(i + 5) % PALETTE.length] as string }),
          points,
        }));
    case 'lab':
      return labLines(series);
  }
}

/** How many replicas are there at each moment (each with a hello_info), and how many are sick. */
function labLines(series: Series[]): Line[] {
  const count = (entries: Series[], when: (v: number) => boolean) => {
    const at = new Map<number, number>();
    for (const entry of entries)
      for (const [t, v] of entry.points) at.set(t, (at.get(t) ?? 0) + (when(v) ? 1 : 0));
    return [...at].sort(([a], [b]) => a - b);
  };
  const info = series.filter((s) => s.labels.series === 'info');
  const sick = series.filter((s) => s.labels.series === 'sick');
  return [
    { key: 'replicas', label: 'replicas', colour: '#333333', points: count(info, () => true) },
    { key: 'sick', label: 'sick', colour: PALETTE[4] as string, points: count(sick, (v) => v === 1) },
  ];
}

/**
 * Each version's share of the answers at the latest moment (not before `since`) when any version
 * answered: what the version mix is now.
 */
export function versionShares(
  versions: Line[],
  since: number,
): { label: string; colour: string; share: number }[] {
  const moments = versions.flatMap((line) =>
    line.points.filter(([t, v]) => t >= since && v > 0).map(([t]) => t),
  );
  if (moments.length === 0) return [];
  const latest = Math.max(...moments);
  const at = versions.map((line) => ({ line, value: line.points.find(([t]) => t === latest)?.[1] ?? 0 }));
  const total = at.reduce((sum, { value }) => sum + value, 0);
  return at
    .filter(({ value }) => value > 0)
    .map(({ line, value }) => ({ label: line.label, colour: line.colour, share: value / total }));
}
