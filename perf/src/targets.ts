// The report's rows and its targets, written once: the figures read them, and a unit test holds
// the README's targets table to them (perf/test/targets.test.ts).

/** Each measurement's row number: the report's # column, the same as the README's targets table. */
export const ITEMS = {
  serviceTime: 1,
  saturation: 2,
  helloAgainstSeed: 3,
  proxyLatency: 4,
  loadgenAgainstWrk: 5,
  roundRobin: 6,
  startup: 7,
  halfLoad: 8,
  directReplicas: 9,
  liveView: 10,
} as const;

export type ItemName = keyof typeof ITEMS;

export interface Target {
  comparison: 'at least' | 'under';
  value: number;
}

export interface NamedTarget extends Target {
  /** The measurement whose row it stands in. */
  item: ItemName;
  /** The unit of the figures it applies to, written after the value. */
  unit: string;
}

export const TARGETS = {
  /** Saturated throughput against min(replicas, cores left after nginx and the load generator) / service time. */
  ofLabLimit: { item: 'saturation', comparison: 'at least', value: 0.85, unit: '' },
  /** How far the load generator's model (min(replicas, free cores) / S under load) is from the run. */
  modelCapacityOff: { item: 'saturation', comparison: 'under', value: 10, unit: '%' },
  /** hello / seed under wrk, requests/s and per CPU-second; under the lab's load generator, none. */
  helloOverSeed: { item: 'helloAgainstSeed', comparison: 'at least', value: 0.9, unit: '' },
  proxyAddedP50: { item: 'proxyLatency', comparison: 'under', value: 0.3, unit: 'ms' },
  newConnectionsPer1000: { item: 'proxyLatency', comparison: 'under', value: 5, unit: 'per 1000' },
  loadgenOverWrk: { item: 'loadgenAgainstWrk', comparison: 'at least', value: 0.7, unit: '' },
  roundRobinDeviation: { item: 'roundRobin', comparison: 'under', value: 0.5, unit: '%' },
  startup: { item: 'startup', comparison: 'under', value: 15, unit: 's' },
  /** p99 from the intended start, evenly spaced at half the capacity, over the service time. */
  halfLoadInsideP99: { item: 'halfLoad', comparison: 'under', value: 3, unit: '× S' },
  halfLoadPortP99: { item: 'halfLoad', comparison: 'under', value: 5, unit: '× S' },
  directReplicas: { item: 'directReplicas', comparison: 'at least', value: 0.9, unit: '' },
  /** Prometheus with the page's queries, and nginx's CPU for them, as a share of every core. */
  liveViewShare: { item: 'liveView', comparison: 'under', value: 3, unit: '%' },
} as const satisfies Record<string, NamedTarget>;

export type TargetName = keyof typeof TARGETS;

export function meets(value: number, target: Target | null): boolean | null {
  if (!target || !Number.isFinite(value)) return null;
  return target.comparison === 'at least' ? value >= target.value : value < target.value;
}
