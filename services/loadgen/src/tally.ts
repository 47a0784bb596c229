/** The name counted for an answer that carries no X-Hostname or X-Version header. */
export const NO_HEADER = '(none)';

/** What one answer says about who served it, read from its headers. */
export interface Identity {
  hostname: string;
  version: string;
  /** The node the replica runs on, from X-Node: a cluster's machine; NO_HEADER on one machine. */
  node: string;
  /** The busy loop's wall time from `Server-Timing: work;dur=<ms>`, when the answer has it. */
  workMs: number | undefined;
  /** The CPU time the loop consumed, from `Server-Timing: cpu;dur=<ms>`, when the answer has it. */
  cpuMs: number | undefined;
}

/**
 * The value of a header from a raw header list ([name, value, name, value, ...], as the HTTP
 * parser gives it). Names compare without case; a repeated header gives its first value.
 */
export function headerValue(rawHeaders: readonly string[], name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const candidate = rawHeaders[i] ?? '';
    // Lower-casing a name makes a string: only names of the wanted length get that far.
    if (candidate.length === wanted.length && candidate.toLowerCase() === wanted) return rawHeaders[i + 1];
  }
  return undefined;
}

/**
 * The `dur` of one named metric in a Server-Timing header: 5.1 for `cpu` in
 * `work;dur=7.9, cpu;dur=5.1`. Undefined when the metric or a valid duration is missing.
 */
export function parseTimingMs(serverTiming: string | undefined, metricName: string): number | undefined {
  if (serverTiming === undefined) return undefined;
  for (const metric of serverTiming.split(',')) {
    const [name, ...params] = metric.split(';').map((part) => part.trim());
    if (name !== metricName) continue;
    for (const param of params) {
      const match = /^dur=(\d+(?:\.\d+)?)$/.exec(param);
      if (match) return Number(match[1]);
    }
  }
  return undefined;
}

/**
 * Reads each answer's replica, version and loop times from its raw headers, one reader per run.
 * It keeps the last Server-Timing value it read with its two durations: without the busy loop
 * every answer carries the same value, and parsing it anew for each would cost the load generator
 * more than the answer cost the server.
 */
export class IdentityReader {
  private lastTiming: { value: string | undefined; workMs: number | undefined; cpuMs: number | undefined } = {
    value: undefined,
    workMs: undefined,
    cpuMs: undefined,
  };

  read(rawHeaders: readonly string[]): Identity {
    const { workMs, cpuMs } = this.timing(headerValue(rawHeaders, 'server-timing'));
    return {
      hostname: headerValue(rawHeaders, 'x-hostname')?.trim() || NO_HEADER,
      version: headerValue(rawHeaders, 'x-version')?.trim() || NO_HEADER,
      node: headerValue(rawHeaders, 'x-node')?.trim() || NO_HEADER,
      workMs,
      cpuMs,
    };
  }

  private timing(serverTiming: string | undefined) {
    if (serverTiming !== this.lastTiming.value) {
      this.lastTiming = {
        value: serverTiming,
        workMs: parseTimingMs(serverTiming, 'work'),
        cpuMs: parseTimingMs(serverTiming, 'cpu'),
      };
    }
    return this.lastTiming;
  }
}

/** Adds one to a name's count. Counts are plain objects so that they go into JSON as they are. */
export function countInto(counts: Record<string, number>, name: string): void {
  counts[name] = (counts[name] ?? 0) + 1;
}

/**
 * A count object with its names ordered by count, largest first, then by name. (Names that look
 * like whole numbers, such as versions "1" and "2", still come first in numeric order: that is
 * how JavaScript orders such keys.)
 */
export function sortedCounts(counts: Readonly<Record<string, number>>): Record<string, number> {
  const entries = Object.entries(counts).sort(([a, x], [b, y]) => byCountThenName(a, x, b, y));
  return Object.fromEntries(entries);
}

/** The order of sortedCounts: the larger count first, then the name. */
export function byCountThenName(a: string, countA: number, b: string, countB: number): number {
  return countB - countA || a.localeCompare(b);
}

/** A mean over the answers that carried a value, and how many did; null without any. */
export interface Mean {
  mean: number | null;
  count: number;
}

/** Sums values as they come, skipping answers without one. */
class RunningMean {
  private sum = 0;
  private count = 0;

  add(value: number | undefined): void {
    if (value === undefined) return;
    this.sum += value;
    this.count += 1;
  }

  summary(): Mean {
    return { mean: this.count > 0 ? this.sum / this.count : null, count: this.count };
  }
}

export interface TallySummary {
  /** Answers counted: every completed response, whatever its status. */
  responses: number;
  hostnames: Record<string, number>;
  versions: Record<string, number>;
  nodes: Record<string, number>;
  workMs: Mean;
  cpuMs: Mean;
  /** Mean of the exact response times; autocannon's histogram keeps whole milliseconds only. */
  latencyMeanMs: number | null;
}

/** Running counts over every answer of a run: by hostname, version and node, and the mean times. */
export class Tally {
  private responses = 0;
  private readonly hostnames: Record<string, number> = {};
  private readonly versions: Record<string, number> = {};
  private readonly nodes: Record<string, number> = {};
  private readonly workMs = new RunningMean();
  private readonly cpuMs = new RunningMean();
  private latencySum = 0;

  add(identity: Identity, latencyMs: number): void {
    this.responses += 1;
    countInto(this.hostnames, identity.hostname);
    countInto(this.versions, identity.version);
    countInto(this.nodes, identity.node);
    this.workMs.add(identity.workMs);
    this.cpuMs.add(identity.cpuMs);
    this.latencySum += latencyMs;
  }

  get count(): number {
    return this.responses;
  }

  summary(): TallySummary {
    return {
      responses: this.responses,
      hostnames: sortedCounts(this.hostnames),
      versions: sortedCounts(this.versions),
      nodes: sortedCounts(this.nodes),
      workMs: this.workMs.summary(),
      cpuMs: this.cpuMs.summary(),
      latencyMeanMs: this.responses > 0 ? this.latencySum / this.responses : null,
    };
  }
}

/** Every answer of a list, tallied: the pure form of Tally, for tests and one-off use. */
export function tallyResponses(
  answers: ReadonlyArray<{ identity: Identity; latencyMs: number }>,
): TallySummary {
  const tally = new Tally();
  for (const { identity, latencyMs } of answers) tally.add(identity, latencyMs);
  return tally.summary();
}

/** The replicas seen: distinct hostnames, leaving out answers that named none (a proxy's 502). */
export function replicasSeen(hostnames: Readonly<Record<string, number>>): number {
  return Object.keys(hostnames).filter((name) => name !== NO_HEADER).length;
}

/** The nodes seen, the same way: 0 on one machine, whose replicas name no node. */
export const nodesSeen: (nodes: Readonly<Record<string, number>>) => number = replicasSeen;
