import type { RunEvent } from './events.js';
import type { OpenLoopFigures, Percentiles } from './measurement.js';
import type { Model } from './model.js';
import type { Options } from './options.js';
import type { ReplicaFigures } from './replicas.js';
import type { TimelineSecond } from './timeline.js';

/**
 * Everything one run found: what run.ts returns, what the renderers draw and what
 * bench-latest.json holds. Times are ISO strings so that the object and its JSON are the same.
 */
export interface BenchResult {
  /** The options the run used; `connections` is what autocannon really opened (see below). */
  options: Options;
  /** Connections open: autocannon lowers them to the rate when --rate is below --connections. */
  connections: number;
  /** "closed" (each connection waits for its answer) or "open" (a fixed rate, --rate). */
  loop: 'closed' | 'open';
  /** True when the run was stopped (Ctrl-C) before its duration or amount was reached. */
  interrupted: boolean;
  startedAt: string;
  finishedAt: string;
  /** The measured window, from the first request to the last answer. */
  durationSeconds: number;
  requests: {
    /** Answers received, whatever their status: ok + non2xx. */
    total: number;
    ok: number;
    non2xx: number;
    /** Requests that failed without an answer: connection errors and timeouts. */
    errors: number;
    timeouts: number;
    sent: number;
  };
  statusCodes: Record<string, number>;
  throughputRps: number;
  /**
   * A closed loop's from autocannon's histogram (whole milliseconds), except the mean, summed
   * exactly; an open loop's exact, each from the request's intended start.
   */
  latencyMs: Percentiles & { mean: number | null };
  /** The open loop's schedule and its latency from the actual send; null for a closed loop. */
  openLoop: OpenLoopFigures | null;
  hostnames: Record<string, number>;
  versions: Record<string, number>;
  /**
   * Answers by X-Node, the node each replica runs on: on a cluster of several, the spread over
   * machines. On one machine no answer names a node: all of them count under "(none)".
   */
  nodes: Record<string, number>;
  /**
   * Each replica's answers, share, non-2xx and latency, by X-Hostname, most answers first; the
   * answers without one (the proxy's own 502, 503, 504) under "(none)".
   */
  replicas: ReplicaFigures[];
  /** The busy loop's wall time per request, from `Server-Timing: work;dur=`. */
  workMs: { mean: number | null; count: number };
  /** The busy loop's CPU time per request, from `Server-Timing: cpu;dur=`: the model's S when present. */
  cpuMs: { mean: number | null; count: number };
  /** This tool's CPU use over the measured window, in cores. */
  loadgenCores: number;
  model: Model;
  /** Every second of the measured window: requests, failures, p99, hostnames and versions. */
  timeline: TimelineSecond[];
  /**
   * What other scripts did meanwhile (a replica killed, a rollout step), from the events file:
   * the events from startedAt to finishedAt, in time order; empty when there were none.
   */
  events: RunEvent[];
}
