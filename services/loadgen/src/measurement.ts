// What the measured phase leaves behind, and the BenchResult it becomes.
import { round } from '@hello-lab/shared/round';
import type autocannon from 'autocannon';
import type { RunEvent } from './events.js';
import { modelRun } from './model.js';
import type { Arrivals } from './open-loop/arrivals.js';
import type { Options } from './options.js';
import type { ReplicaTally } from './replicas.js';
import type { BenchResult } from './result.js';
import { type Mean, replicasSeen, type Tally } from './tally.js';
import type { Timeline } from './timeline.js';

/** Latency percentiles, in milliseconds. */
export interface Percentiles {
  p50: number;
  p75: number;
  p90: number;
  p97_5: number;
  p99: number;
  p99_9: number;
  max: number;
}

/** The counts of a measured phase, from autocannon's result or from the open loop's records. */
export interface Counts {
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  sent: number;
  connections: number;
  statusCodes: Record<string, number>;
  latency: Percentiles;
}

/** What only an open loop knows: its schedule, and the latency from each actual send. */
export interface OpenLoopFigures {
  arrivals: Arrivals;
  rate: number;
  /** Requests the schedule started. */
  scheduled: number;
  /** Of those, the ones that left later than planned (every connection busy, or the process). */
  late: number;
  maxLagMs: number;
  /** Latency from the actual send, beside the result's latency from the intended start. */
  sentLatencyMs: Percentiles & { mean: number | null };
}

export function autocannonCounts(raw: autocannon.Result): Counts {
  const { p50, p75, p90, p97_5, p99, p99_9, max } = raw.latency;
  return {
    ok: raw['2xx'],
    non2xx: raw.non2xx,
    errors: raw.errors,
    timeouts: raw.timeouts,
    sent: raw.requests.sent,
    connections: raw.connections,
    statusCodes: Object.fromEntries(
      Object.entries(raw.statusCodeStats ?? {}).map(([code, { count }]) => [code, count ?? 0]),
    ),
    latency: { p50, p75, p90, p97_5, p99, p99_9, max },
  };
}

/** What the measured phase leaves behind, before it is turned into a result. */
export interface Measurement {
  counts: Counts;
  openLoop: OpenLoopFigures | null;
  tally: Tally;
  replicas: ReplicaTally;
  timeline: Timeline;
  startedAt: Date;
  startMs: number;
  /** When the load stopped: the last answer with --amount or after a stop, else autocannon's end. */
  endMs: number;
  finishMs: number;
  cpu: NodeJS.CpuUsage;
  interrupted: boolean;
}

const roundMean = ({ mean, count }: Mean): Mean => ({ mean: mean === null ? null : round(mean, 4), count });

/** When the measurement started and finished, as the result states them. */
export function measuredWindow({ startedAt, startMs, finishMs }: Measurement) {
  return {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date(startedAt.getTime() + (finishMs - startMs)).toISOString(),
  };
}

/**
 * The result of a measurement: autocannon's counts and histogram, ours by hostname and by
 * replica, the model, and the events that happened meanwhile. `otherCores` is the machine's
 * other work for the model: --other-cores when given, else what was measured before the warm-up.
 */
export function toResult(
  options: Options,
  measurement: Measurement,
  events: RunEvent[],
  otherCores: number,
): BenchResult {
  const {
    counts: measured,
    tally,
    replicas,
    timeline,
    startMs,
    endMs,
    cpu,
    interrupted,
    openLoop,
  } = measurement;
  const durationSeconds = Math.max(endMs - startMs, 1) / 1000;
  const loadgenCores = (cpu.user + cpu.system) / 1e6 / durationSeconds;
  const counts = tally.summary();
  const total = measured.ok + measured.non2xx;
  const throughputRps = total / durationSeconds;
  const connections = measured.connections;

  return {
    options,
    connections,
    loop: options.rate === null ? 'closed' : 'open',
    interrupted,
    ...measuredWindow(measurement),
    durationSeconds: round(durationSeconds, 3),
    requests: {
      total,
      ok: measured.ok,
      non2xx: measured.non2xx,
      errors: measured.errors,
      timeouts: measured.timeouts,
      sent: measured.sent,
    },
    statusCodes: measured.statusCodes,
    throughputRps: round(throughputRps, 2),
    latencyMs: {
      mean: counts.latencyMeanMs === null ? null : round(counts.latencyMeanMs, 3),
      ...measured.latency,
    },
    openLoop,
    hostnames: counts.hostnames,
    versions: counts.versions,
    nodes: counts.nodes,
    replicas: replicas.summary(),
    workMs: roundMean(counts.workMs),
    cpuMs: roundMean(counts.cpuMs),
    loadgenCores: round(loadgenCores, 3),
    model: modelRun({
      workMs: counts.workMs.mean,
      cpuMs: counts.cpuMs.mean,
      replicas: replicasSeen(counts.hostnames),
      cores: options.cores,
      loadgenCores,
      proxyCores: options.proxyCores,
      otherCores,
      inFlight: connections * options.pipelining,
      rate: options.rate,
      arrivals: options.arrivals,
      throughputRps,
      latencyMeanMs: counts.latencyMeanMs,
    }),
    timeline: timeline.finish(endMs),
    events,
  };
}
