import { round } from '@hello-lab/shared/round';
import type { Arrivals } from './open-loop/arrivals.js';
import { meanWaitMs, queueServers } from './queueing.js';

/**
 * What the run should have shown, from first principles, to set beside what it did show.
 *
 * Each replica is one Node.js process: it uses at most one core, and each request costs it the
 * service time S: the CPU time of its busy loop (Server-Timing cpu). The loop's wall time (work)
 * is the fallback for a service that sends no cpu time; with more replicas than free cores it also
 * counts waiting for a core, so it overstates S. R replicas on C_eff free cores answer at
 * most min(R, C_eff) / S requests per second. C_eff is the cores left once this tool (its CPU use,
 * measured over the run), the proxy (an estimate, --proxy-cores) and the machine's other work
 * (--other-cores, else measured while the lab is idle, before the warm-up) have taken theirs: on
 * the lab's one machine they all share the same cores.
 *
 * Little's law (requests in flight = throughput x latency) then predicts the latency of a closed
 * loop: in flight / throughput. An open loop below capacity sees S plus the wait of a queue with
 * min(R, C_eff) servers, rounded: none for evenly spaced arrivals, M/D/c's for Poisson ones.
 */
export interface ModelInput {
  /** Mean wall time of the busy loop per request, in ms (Server-Timing work); null without any. */
  workMs: number | null;
  /** Mean CPU time of the busy loop per request, in ms (Server-Timing cpu); null without any. */
  cpuMs: number | null;
  /** R: distinct hostnames seen. */
  replicas: number;
  /** C: cores shared by the replicas, the proxy, this tool and the machine's other work. */
  cores: number;
  /** This tool's own CPU use over the run, in cores (1 = one core busy all the time). */
  loadgenCores: number;
  /** The proxy's estimated CPU use, in cores. */
  proxyCores: number;
  /** Other work on the machine, in cores: given (--other-cores), or measured before the warm-up. */
  otherCores: number;
  /** Requests in flight: connections x pipelining. */
  inFlight: number;
  /** The fixed rate of an open-loop run, or null for a closed loop. */
  rate: number | null;
  /** How an open loop's requests arrive; the closed loop ignores it. */
  arrivals?: Arrivals;
  throughputRps: number;
  /** Measured mean latency, or null without answers. */
  latencyMeanMs: number | null;
}

export type Limit =
  | 'cores'
  | 'replicas'
  | 'load generator'
  | 'request rate'
  | 'outside the model'
  | 'unknown';

export interface Model {
  /** S, in ms: the mean CPU time when the answers carried it, else the mean wall time. */
  serviceTimeMs: number | null;
  /** Which Server-Timing metric S is: `cpu` or (wall) `work`; null when the answers had neither. */
  serviceTimeFrom: 'cpu' | 'work' | null;
  replicas: number;
  cores: number;
  /** Cores taken from the replicas: this tool, the proxy and the other work (otherCores) together. */
  overheadCores: number;
  /** Of overheadCores, the machine's other work; missing (read as 0) in results from before it. */
  otherCores: number;
  /** C_eff = cores - overheadCores: what the replicas can have. */
  effectiveCores: number;
  capacityRps: number | null;
  predictedLatencyMs: number | null;
  /** How the latency was predicted: S (an open loop that never queues) or Little's law. */
  predictedFrom: 'service time' | 'M/D/c queue' | "Little's law" | null;
  /** Measured throughput / capacity. */
  throughputRatio: number | null;
  /** Measured mean latency / predicted latency. */
  latencyRatio: number | null;
  limit: Limit;
  /** One plain sentence on what limits this run. */
  explanation: string;
  /** A warning about how far to trust the numbers, or null. */
  caveat: string | null;
}

/** Node.js runs this tool's JavaScript on one thread: past this share of a core, it is the bottleneck. */
export const LOADGEN_SATURATED_CORES = 0.85;
/** Throughput under this share of capacity is "far below" it. */
export const FAR_BELOW_CAPACITY = 0.7;
/** Fewer requests in flight than this many per usable replica cannot keep the replicas busy. */
export const IN_FLIGHT_PER_REPLICA = 2;

const cores = (n: number) => `${round(n, 2)} ${n === 1 ? 'core' : 'cores'}`;
const replicas = (n: number) => `${n} ${n === 1 ? 'replica' : 'replicas'}`;
const rps = (n: number) => `${Math.round(n)} req/s`;

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** Other work worth naming: what Model.otherCores keeps of it, rounded to 3 places, is above 0. */
const hasOtherWork = (input: ModelInput) => round(input.otherCores, 3) > 0;

/** Who took cores before the replicas: the load generator and the proxy, and other work when there is any. */
function takers(input: ModelInput): string {
  return hasOtherWork(input)
    ? `the load generator, the proxy and ${cores(input.otherCores)} of other work on the machine`
    : 'the load generator and the proxy';
}

function limitOf(input: ModelInput, effectiveCores: number, capacityRps: number) {
  const ratio = input.throughputRps / capacityRps;
  const usable = Math.min(input.replicas, effectiveCores);
  if (input.loadgenCores >= LOADGEN_SATURATED_CORES) {
    return {
      limit: 'load generator' as const,
      explanation: `The load generator itself: it kept ${round(input.loadgenCores * 100, 0)}% of its one core busy, so it could not send faster.`,
    };
  }
  if (input.rate !== null && input.rate < capacityRps) {
    return {
      limit: 'request rate' as const,
      explanation: `The fixed rate: ${rps(input.rate)} is below the capacity of ${rps(capacityRps)}, so the replicas are not saturated.`,
    };
  }
  if (ratio < FAR_BELOW_CAPACITY && input.inFlight < IN_FLIGHT_PER_REPLICA * Math.ceil(usable)) {
    return {
      limit: 'load generator' as const,
      explanation: `The load generator: ${input.inFlight} ${input.inFlight === 1 ? 'request' : 'requests'} in flight cannot keep ${replicas(input.replicas)} busy; add connections.`,
    };
  }
  if (ratio < FAR_BELOW_CAPACITY) {
    return {
      limit: 'outside the model' as const,
      explanation: `Something outside the model: throughput is ${round(ratio * 100, 0)}% of capacity with ${input.inFlight} requests in flight; look at errors, the proxy and container CPU limits.`,
    };
  }
  if (input.replicas < effectiveCores) {
    return {
      limit: 'replicas' as const,
      explanation: `Replicas: ${replicas(input.replicas)} can use at most ${cores(input.replicas)} of the ${cores(effectiveCores)} left for them; another replica would add capacity.`,
    };
  }
  return {
    limit: 'cores' as const,
    explanation: `Cores: ${replicas(input.replicas)} share the ${cores(effectiveCores)} left after ${takers(input)}; more replicas would not add capacity, more cores would.`,
  };
}

/** The model for one run. Pure: the same input always gives the same numbers and sentence. */
export function modelRun(input: ModelInput): Model {
  const overheadCores = input.loadgenCores + input.proxyCores + input.otherCores;
  const effectiveCores = input.cores - overheadCores;
  const serviceTimeFrom: Model['serviceTimeFrom'] =
    input.cpuMs !== null ? 'cpu' : input.workMs !== null ? 'work' : null;
  const serviceTimeMs = input.cpuMs ?? input.workMs;
  const base = {
    serviceTimeMs,
    serviceTimeFrom,
    replicas: input.replicas,
    cores: input.cores,
    overheadCores: round(overheadCores, 3),
    otherCores: round(input.otherCores, 3),
    effectiveCores: round(effectiveCores, 3),
    capacityRps: null,
    predictedLatencyMs: null,
    predictedFrom: null,
    throughputRatio: null,
    latencyRatio: null,
    caveat: null,
  };

  if (serviceTimeMs === null || serviceTimeMs <= 0 || input.replicas === 0) {
    const missing =
      input.replicas === 0
        ? 'an X-Hostname header'
        : `a Server-Timing ${serviceTimeFrom ?? 'work'} time greater than 0`;
    return {
      ...base,
      limit: 'unknown',
      explanation: `Unknown: no answer carried ${missing}, so the model has nothing to work from.`,
    };
  }
  if (effectiveCores <= 0) {
    // Without the other work, this tool and the proxy would have left cores: the machine is too busy.
    if (hasOtherWork(input) && input.loadgenCores + input.proxyCores < input.cores) {
      return {
        ...base,
        limit: 'cores',
        explanation: `Cores: ${takers(input)} take all ${cores(input.cores)}, leaving none for the replicas.`,
      };
    }
    return {
      ...base,
      limit: 'load generator',
      explanation: `${capitalized(takers(input))} take all ${cores(input.cores)}, leaving none for the replicas.`,
    };
  }

  const capacityRps = Math.min(input.replicas, effectiveCores) / (serviceTimeMs / 1000);
  const belowCapacity = input.rate !== null && input.rate < capacityRps;
  const servedRps = Math.min(capacityRps, input.throughputRps);
  let predictedLatencyMs: number | null = null;
  let predictedFrom: Model['predictedFrom'] = null;
  if (belowCapacity) {
    const servers = queueServers(input.replicas, effectiveCores);
    const waitMs = meanWaitMs(input.arrivals ?? 'constant', input.rate ?? 0, serviceTimeMs, servers);
    // Past the rounded servers' capacity the queue has no steady state: Little's law at capacity.
    predictedLatencyMs = Number.isFinite(waitMs)
      ? serviceTimeMs + waitMs
      : (input.inFlight / capacityRps) * 1000;
    predictedFrom = !Number.isFinite(waitMs) ? "Little's law" : waitMs > 0 ? 'M/D/c queue' : 'service time';
  } else if (servedRps > 0) {
    predictedLatencyMs = (input.inFlight / servedRps) * 1000;
    predictedFrom = "Little's law";
  }

  return {
    ...base,
    capacityRps: round(capacityRps, 2),
    predictedLatencyMs: predictedLatencyMs === null ? null : round(predictedLatencyMs, 3),
    predictedFrom,
    throughputRatio: round(input.throughputRps / capacityRps, 3),
    latencyRatio:
      predictedLatencyMs === null || input.latencyMeanMs === null
        ? null
        : round(input.latencyMeanMs / predictedLatencyMs, 3),
    ...limitOf(input, effectiveCores, capacityRps),
    // A busy loop timed by the clock also counts the time its process waited for a core; its
    // CPU time does not.
    caveat:
      serviceTimeFrom === 'work' && input.replicas > effectiveCores
        ? 'More replicas than free cores: each work time also counts waiting for a core, so S can run long and the capacity low.'
        : null,
  };
}
