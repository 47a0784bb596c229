import { readFileSync } from 'node:fs';
import { round } from '@hello-lab/shared/round';
import type { Model } from '../src/model.js';
import type { BenchResult } from '../src/result.js';

/**
 * The one fixture result that the renderers are tested against: three replicas during a rollout
 * from v1 to v2 (v1 gives way from second 3 to second 8), with a replica killed in second 4, a few
 * 502s from the proxy (no X-Hostname) and two failed requests; five events, from rollout-start at
 * +2.95 s to rollout-done at +8.05 s, two of their details with characters HTML must escape.
 * The replicas outnumber the free cores, so the loop's wall time (work) runs longer than its CPU
 * time (cpu), which the model takes as S.
 */
export function loadFixture(): BenchResult {
  return JSON.parse(readFileSync(new URL('./fixtures/result.json', import.meta.url), 'utf8')) as BenchResult;
}

/**
 * The fixture as a hello that sends only its wall time (no `cpu;dur`) would leave it: the model
 * takes S from work and, with more replicas than free cores, warns that S runs long.
 */
export function workOnly(result: BenchResult): BenchResult {
  return {
    ...result,
    cpuMs: { mean: null, count: 0 },
    model: {
      ...result.model,
      serviceTimeMs: result.workMs.mean,
      serviceTimeFrom: 'work',
      capacityRps: 213.92, // 1.69 cores / 7.9 ms
      throughputRatio: 1.617,
      caveat:
        'More replicas than free cores: each work time also counts waiting for a core, so S can run long and the capacity low.',
    },
  };
}

/** The fixture's replicas on two nodes of a cluster: the first two on `node-1`, the third on `node-2`. */
export const FIXTURE_NODES: Readonly<Record<string, string>> = {
  '4f1c2a9b7d3e': 'node-1',
  '9a0b8c7d6e5f': 'node-1',
  c3d2e1f0a9b8: 'node-2',
};

/** Answers by node as a cluster's replicas (X-Node) would give them, from answers by hostname. */
const byNode = (hostnames: Readonly<Record<string, number>>) => {
  const nodes: Record<string, number> = {};
  for (const [hostname, count] of Object.entries(hostnames)) {
    const node = FIXTURE_NODES[hostname] ?? hostname;
    nodes[node] = (nodes[node] ?? 0) + count;
  }
  return nodes;
};

/** The fixture as a run against a cluster of two nodes, its answers counted by node too. */
export function onNodes(result: BenchResult): BenchResult {
  return {
    ...result,
    nodes: byNode(result.hostnames),
    timeline: result.timeline.map((second) => ({ ...second, nodes: byNode(second.hostnames) })),
  };
}

/** What varies between the runs of a sweep; the rest of each run is the fixture's. */
export interface SweepRunSpec {
  replicas: number;
  throughputRps: number;
  p99Ms?: number;
  /** C_eff: the cores left for the replicas; the fixture's 1.69 unless given. */
  effectiveCores?: number;
  /** The model's limit; by default "replicas" while they are fewer than the cores left, else "cores". */
  limit?: Model['limit'];
}

/**
 * The fixture as one run of a sweep: `replicas` hostnames sharing the answers, the throughput and
 * p99 given, and a model to match (S = the fixture's 5.2 ms of CPU, capacity min(R, C_eff) / S).
 * Each run starts a minute after the one with one replica fewer, and lasts as long as the fixture.
 */
export function sweepRun(spec: SweepRunSpec): BenchResult {
  const result = loadFixture();
  const { replicas, throughputRps } = spec;
  const effectiveCores = spec.effectiveCores ?? result.model.effectiveCores;
  const serviceTimeMs = result.model.serviceTimeMs ?? 1;
  const capacityRps = round(Math.min(replicas, effectiveCores) / (serviceTimeMs / 1000), 2);
  const hostnames = Object.fromEntries(
    Array.from({ length: replicas }, (_, i) => [
      `replica-${i + 1}`,
      Math.round(result.requests.ok / replicas),
    ]),
  );
  const shift = (time: string) => new Date(Date.parse(time) + (replicas - 1) * 60_000).toISOString();
  return {
    ...result,
    options: { ...result.options, label: `${replicas} replicas` },
    startedAt: shift(result.startedAt),
    finishedAt: shift(result.finishedAt),
    throughputRps,
    latencyMs: { ...result.latencyMs, p99: spec.p99Ms ?? result.latencyMs.p99 },
    hostnames: { ...hostnames, '(none)': result.requests.non2xx },
    model: {
      ...result.model,
      replicas,
      effectiveCores,
      capacityRps,
      throughputRatio: round(throughputRps / capacityRps, 3),
      limit: spec.limit ?? (replicas < effectiveCores ? 'replicas' : 'cores'),
    },
  };
}
