// The lab's events, read off the series themselves (no store of their own): a replica's
// hello_info starting or ending, a new process start time, a sick gauge going to 1 and back, a
// version's first and last answer.
import { replicaName } from './lines.js';
import type { Series } from './prometheus.js';

export type EventKind =
  | 'joined'
  | 'left'
  | 'down'
  | 'back'
  | 'restarted'
  | 'sick'
  | 'healed'
  | 'version-in'
  | 'version-out';

export interface LabEvent {
  /** Unix seconds. */
  t: number;
  kind: EventKind;
  /** The replica it happened to; none for a version's events. */
  hostname?: string;
  text: string;
}

/** Runs of points with no missing step between them: [first t, last t]. */
function runs(times: number[], step: number): [number, number][] {
  const found: [number, number][] = [];
  for (const t of times) {
    const last = found.at(-1);
    // Half a step of slack: evaluation times are exact multiples, but not every step is there.
    if (last && t - last[1] <= step * 1.5) last[1] = t;
    else found.push([t, t]);
  }
  return found;
}

/**
 * Every event between `from` and `to` (the window the series cover, evaluated every `step`
 * seconds), oldest first. A series there from the window's start or still there at its end is
 * no event: the replica was there before, or still is.
 */
export function deriveEvents(series: Series[], from: number, to: number, step: number): LabEvent[] {
  const events: LabEvent[] = [];
  const of = (kind: string) => series.filter((s) => s.labels.series === kind);
  // Nor is a replica there from Prometheus' first scrape: it was there before Prometheus.
  const firstSeen = Math.min(...of('info').map((s) => s.points[0]?.[0] ?? Number.POSITIVE_INFINITY));
  const startsHere = (t: number) => t > Math.max(from, firstSeen) + step * 1.5;
  const endsHere = (t: number) => t < to - step * 1.5;

  const restarts = new Map<string, number[]>();
  for (const entry of of('start')) {
    const hostname = replicaName(entry.labels);
    let previous: number | undefined;
    for (const [, started] of entry.points) {
      // A process start time is the moment itself, to the scrape's precision.
      if (previous !== undefined && Math.abs(started - previous) > 0.5 && started >= from) {
        events.push({ t: started, kind: 'restarted', hostname, text: `${hostname} restarted` });
        restarts.set(hostname, [...(restarts.get(hostname) ?? []), started]);
      }
      previous = started;
    }
  }

  const versions = new Map<string, [number, number]>();
  for (const entry of of('info')) {
    const hostname = replicaName(entry.labels);
    const version = entry.labels.version ?? '?';
    const times = entry.points.map(([t]) => t);
    const spans = runs(times, step);
    spans.forEach(([first, last], i) => {
      if (i === 0 && startsHere(first)) {
        events.push({ t: first, kind: 'joined', hostname, text: `${hostname} joined (v${version})` });
      } else if (i > 0) {
        // Back after a gap; a restart said so already when the process is a new one.
        const restarted = (restarts.get(hostname) ?? []).some(
          (t) => t >= (spans[i - 1]?.[1] ?? 0) - step && t <= first + step,
        );
        if (!restarted) events.push({ t: first, kind: 'back', hostname, text: `${hostname} back` });
      }
      if (i < spans.length - 1) events.push({ t: last, kind: 'down', hostname, text: `${hostname} down` });
      else if (endsHere(last)) events.push({ t: last, kind: 'left', hostname, text: `${hostname} left` });
    });
    const seen = versions.get(version);
    const first = times[0];
    const last = times.at(-1);
    if (first !== undefined && last !== undefined) {
      versions.set(version, seen ? [Math.min(seen[0], first), Math.max(seen[1], last)] : [first, last]);
    }
  }
  for (const [version, [first, last]] of versions) {
    if (startsHere(first)) events.push({ t: first, kind: 'version-in', text: `v${version} arrives` });
    if (endsHere(last)) events.push({ t: last, kind: 'version-out', text: `v${version} gone` });
  }

  for (const entry of of('sick')) {
    const hostname = replicaName(entry.labels);
    const mode = entry.labels.mode ?? '?';
    let previous: number | undefined;
    for (const [t, value] of entry.points) {
      if (previous === 0 && value === 1)
        events.push({ t, kind: 'sick', hostname, text: `${hostname} sick (${mode})` });
      if (previous === 1 && value === 0)
        events.push({ t, kind: 'healed', hostname, text: `${hostname} healed` });
      previous = value;
    }
  }
  return events.sort((a, b) => a.t - b.t);
}

/** The replicas there at the window's end, by hostname: their version and sick mode, if any. */
export function currentReplicas(
  series: Series[],
  to: number,
  step: number,
): { hostname: string; version: string; sick?: string }[] {
  const present = new Map<string, { hostname: string; version: string; sick?: string }>();
  for (const entry of series.filter((s) => s.labels.series === 'info')) {
    const last = entry.points.at(-1);
    if (!last || last[0] < to - step * 1.5) continue;
    const hostname = replicaName(entry.labels);
    present.set(hostname, { hostname, version: entry.labels.version ?? '?' });
  }
  for (const entry of series.filter((s) => s.labels.series === 'sick')) {
    const last = entry.points.at(-1);
    const replica = present.get(replicaName(entry.labels));
    if (replica && last && last[1] === 1 && last[0] >= to - step * 1.5)
      replica.sick = entry.labels.mode ?? '?';
  }
  return [...present.values()].sort((a, b) => (a.hostname < b.hostname ? -1 : 1));
}
