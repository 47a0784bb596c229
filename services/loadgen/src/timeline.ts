import { countInto, type Identity } from './tally.js';

/**
 * One second of a run, counted from the start of the measurement. The failed requests of a
 * second are non2xx + errors; its answers, requests - errors, are what hostnames, versions and nodes count.
 */
export interface TimelineSecond {
  second: number;
  /** Requests that ended in this second: answered, whatever the status, or failed without an answer. */
  requests: number;
  /** Answers with a status outside 200-299, such as the proxy's 502 while a replica is gone. */
  non2xx: number;
  /** Requests that failed without an answer: connection errors and timeouts. */
  errors: number;
  /** 99th percentile of this second's response times, or null for a second without answers. */
  p99Ms: number | null;
  hostnames: Record<string, number>;
  versions: Record<string, number>;
  /** By X-Node: on a cluster, a drained or killed node's share going to the others. */
  nodes: Record<string, number>;
}

/** The nearest-rank percentile of numbers sorted in ascending order. */
export function percentileOfSorted(sorted: readonly number[], percent: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((percent / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? null;
}

function emptySecond(second: number): TimelineSecond {
  return { second, requests: 0, non2xx: 0, errors: 0, p99Ms: null, hostnames: {}, versions: {}, nodes: {} };
}

/**
 * Per-second counts of a run. Events arrive in time order, so only the current second keeps its
 * response times (for its p99); a finished second keeps counts only.
 */
export class Timeline {
  private readonly done: TimelineSecond[] = [];
  private current: TimelineSecond = emptySecond(0);
  private latencies: number[] = [];

  constructor(private readonly startMs: number) {}

  private at(timeMs: number): TimelineSecond {
    const second = Math.max(0, Math.floor((timeMs - this.startMs) / 1000));
    if (second > this.current.second) {
      this.close();
      this.current = emptySecond(second);
    }
    return this.current;
  }

  private close(): void {
    this.current.p99Ms = percentileOfSorted(
      this.latencies.sort((a, b) => a - b),
      99,
    );
    this.latencies = [];
    this.done.push(this.current);
  }

  addResponse(timeMs: number, status: number, identity: Identity, latencyMs: number): void {
    const second = this.at(timeMs);
    second.requests += 1;
    if (status < 200 || status > 299) second.non2xx += 1;
    countInto(second.hostnames, identity.hostname);
    countInto(second.versions, identity.version);
    countInto(second.nodes, identity.node);
    this.latencies.push(latencyMs);
  }

  addError(timeMs: number): void {
    const second = this.at(timeMs);
    second.requests += 1;
    second.errors += 1;
  }

  /** The second that is still being counted. */
  get currentSecond(): Readonly<TimelineSecond> {
    return this.current;
  }

  /**
   * Every second from the start up to `endMs`, quiet ones included. Call once, at the end: it
   * closes the current second.
   */
  finish(endMs: number): TimelineSecond[] {
    const lastSecond = Math.max(this.current.second, Math.ceil((endMs - this.startMs) / 1000) - 1);
    this.close();
    const bySecond = new Map(this.done.map((second) => [second.second, second]));
    return Array.from({ length: lastSecond + 1 }, (_, i) => bySecond.get(i) ?? emptySecond(i));
  }
}
