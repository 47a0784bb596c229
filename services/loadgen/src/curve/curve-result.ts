// The queueing curve: p50 and p99 against the offered load, measured, beside what the lab's
// queue should give (simulate.ts) and M/D/c's mean, with one sentence on where the knee is.
import { round } from '@hello-lab/shared/round';
import { meanWaitMs, queueServers } from '../queueing.js';
import type { BenchResult } from '../result.js';
import { type LabShape, simulateLatency } from './simulate.js';

/** The offered loads, as shares of the capacity measured first. */
export const SHARES = [0.1, 0.25, 0.5, 0.7, 0.8, 0.9, 1, 1.1] as const;

/** Requests each simulated point is worked out from. */
const SIMULATED_REQUESTS = 20_000;

export interface CurveStep {
  share: number;
  rate: number;
  throughputRps: number;
  /** From each request's intended start. */
  p50: number;
  p99: number;
  /** From each request's actual send: what a tool that waits for its connections would report. */
  sentP99: number;
  late: number;
  failed: number;
  simulated: { p50: number; p99: number; mean: number };
  /** S plus M/D/c's mean wait, for min(replicas, free cores) servers; null at or past capacity. */
  mdcMeanMs: number | null;
}

export interface CurveResult {
  startedAt: string;
  finishedAt: string;
  label: string | null;
  arrivals: 'poisson';
  /** The closed-loop run that measured the capacity, S and the free cores. */
  capacity: { throughputRps: number; serviceTimeMs: number; replicas: number; effectiveCores: number };
  steps: CurveStep[];
  /** The first offered load from which p99 stays above twice its light-load value (kneeOf). */
  knee: { share: number; rate: number } | null;
  /** The same rule on the simulated p99. */
  simulatedKnee: { share: number; rate: number } | null;
  sentence: string;
}

/** Each offered rate, whole requests per second, at least one. */
export function curveRates(capacityRps: number): number[] {
  return SHARES.map((share) => Math.max(1, Math.round(share * capacityRps)));
}

/**
 * The first offered load from which p99 stays above twice its light-load value: the lower of the
 * two lightest loads' p99. A single slow step on a short run (a spike on a noisy machine) that the
 * next load does not confirm is not a knee.
 */
export function kneeOf(steps: readonly { share: number; rate: number; p99: number }[]): CurveResult['knee'] {
  if (steps.length === 0) return null;
  const base = Math.max(Math.min(...steps.slice(0, 2).map((step) => step.p99)), 0.001);
  const index = steps.findIndex((_, i) => steps.slice(i).every((step) => step.p99 > 2 * base));
  const knee = steps[index];
  return knee ? { share: knee.share, rate: knee.rate } : null;
}

const percent = (share: number) => `${Math.round(share * 100)} %`;

function kneeSentence(
  knee: CurveResult['knee'],
  simulatedKnee: CurveResult['knee'],
  capacity: CurveResult['capacity'],
): string {
  const servers = Math.min(capacity.replicas, capacity.effectiveCores);
  const theory = simulatedKnee
    ? ` The simulation of the lab's queue has its knee at ${percent(simulatedKnee.share)}.`
    : '';
  const sets = `What sets it is the capacity, min(${capacity.replicas} replicas, ${capacity.effectiveCores.toFixed(2)} free cores) / S = ${servers.toFixed(2)} / ${capacity.serviceTimeMs.toFixed(2)} ms = ${Math.round((servers * 1000) / Math.max(capacity.serviceTimeMs, 0.001))} req/s: as the offered load nears it, each request finds more ahead of it, and the wait grows as 1 / (1 - load).`;
  if (knee === null)
    return `No knee up to ${percent(SHARES.at(-1) ?? 1)} of capacity: p99 never stayed above twice its value at light load.${theory} ${sets}`;
  return `The knee is at about ${percent(knee.share)} of the measured capacity (${knee.rate} req/s), from where p99 stays above twice its value at light load.${theory} ${sets}`;
}

/** The curve from the capacity run and one open-loop run per offered load. */
export function curveResult(
  capacityRun: BenchResult,
  runs: readonly BenchResult[],
  random?: () => number,
): CurveResult {
  const { model } = capacityRun;
  const serviceTimeMs = model.serviceTimeMs ?? 0;
  const capacity = {
    throughputRps: capacityRun.throughputRps,
    serviceTimeMs,
    replicas: model.replicas,
    effectiveCores: model.effectiveCores,
  };
  const shape: LabShape = {
    replicas: Math.max(1, model.replicas),
    cores: model.effectiveCores,
    serviceMs: serviceTimeMs,
  };
  const servers = queueServers(model.replicas, model.effectiveCores);
  const steps = runs.map((run, i): CurveStep => {
    const rate = run.options.rate ?? 0;
    // Without S or without a free core (other work took them all) there is nothing to simulate.
    const simulated =
      serviceTimeMs > 0 && shape.cores > 0
        ? simulateLatency(shape, 'poisson', rate, SIMULATED_REQUESTS, random)
        : { p50: 0, p99: 0, mean: 0 };
    const wait = meanWaitMs('poisson', rate, serviceTimeMs, servers);
    return {
      share: SHARES[i] ?? 0,
      rate,
      throughputRps: run.throughputRps,
      p50: run.latencyMs.p50,
      p99: run.latencyMs.p99,
      sentP99: run.openLoop?.sentLatencyMs.p99 ?? run.latencyMs.p99,
      late: run.openLoop?.late ?? 0,
      failed: run.requests.non2xx + run.requests.errors + run.requests.timeouts,
      simulated: {
        p50: round(simulated.p50, 3),
        p99: round(simulated.p99, 3),
        mean: round(simulated.mean, 3),
      },
      mdcMeanMs: Number.isFinite(wait) ? round(serviceTimeMs + wait, 3) : null,
    };
  });
  const knee = kneeOf(steps);
  const simulatedKnee = kneeOf(steps.map((step) => ({ ...step, p99: step.simulated.p99 })));
  return {
    startedAt: capacityRun.startedAt,
    finishedAt: runs.at(-1)?.finishedAt ?? capacityRun.finishedAt,
    label: capacityRun.options.label,
    arrivals: 'poisson',
    capacity,
    steps,
    knee,
    simulatedKnee,
    sentence: kneeSentence(knee, simulatedKnee, capacity),
  };
}
