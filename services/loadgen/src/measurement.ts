// What the measured phase leaves behind, and the BenchResult it becomes.
import { round } from '@hello-lab/shared/round';
import type autocannon from 'autocannon';
import type { RunEvent } from './events.js';
import { modelRun } from './model.js';
import type { Options } from './options.js';
import type { BenchResult } from './result.js';
import { type Mean, replicasSeen, type Tally } from './tally.js';
import type { Timeline } from './timeline.js';

/** What the measured phase leaves behind, before it is turned into a result. */
export interface Measurement {
  raw: autocannon.Result;
  tally: Tally;
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
 * The result of a measurement: autocannon's counts and histogram, ours by hostname, the model,
 * and the events that happened meanwhile.
 */
export function toResult(options: Options, measurement: Measurement, events: RunEvent[]): BenchResult {
  const { raw, tally, timeline, startMs, endMs, cpu, interrupted } = measurement;
  const durationSeconds = Math.max(endMs - startMs, 1) / 1000;
  const loadgenCores = (cpu.user + cpu.system) / 1e6 / durationSeconds;
  const counts = tally.summary();
  const total = raw['2xx'] + raw.non2xx;
  const throughputRps = total / durationSeconds;
  const connections = raw.connections;
  const statusCodes = Object.fromEntries(
    Object.entries(raw.statusCodeStats ?? {}).map(([code, { count }]) => [code, count ?? 0]),
  );

  return {
    options,
    connections,
    loop: options.rate === null ? 'closed' : 'open',
    interrupted,
    ...measuredWindow(measurement),
    durationSeconds: round(durationSeconds, 3),
    requests: {
      total,
      ok: raw['2xx'],
      non2xx: raw.non2xx,
      errors: raw.errors,
      timeouts: raw.timeouts,
      sent: raw.requests.sent,
    },
    statusCodes,
    throughputRps: round(throughputRps, 2),
    latencyMs: {
      mean: counts.latencyMeanMs === null ? null : round(counts.latencyMeanMs, 3),
      p50: raw.latency.p50,
      p75: raw.latency.p75,
      p90: raw.latency.p90,
      p97_5: raw.latency.p97_5,
      p99: raw.latency.p99,
      p99_9: raw.latency.p99_9,
      max: raw.latency.max,
    },
    hostnames: counts.hostnames,
    versions: counts.versions,
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
      inFlight: connections * options.pipelining,
      rate: options.rate,
      throughputRps,
      latencyMeanMs: counts.latencyMeanMs,
    }),
    timeline: timeline.finish(endMs),
    events,
  };
}
