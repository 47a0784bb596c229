// From the raw measurements to the report: every figure with its median, min and max over the
// repetitions, how it was measured, its target (targets.ts), and what limited the bench. Pure: no
// I/O. Each measurement's figures are in figures/; this file puts them in the report's order.

import { directReplicasSection } from './figures/direct-replicas.js';
import { itemLabel, type Section } from './figures/figure.js';
import { halfLoadSection } from './figures/half-load.js';
import { helloAgainstSeedSection } from './figures/hello-against-seed.js';
import { liveViewSection } from './figures/live-view.js';
import { loadgenAgainstWrkSection } from './figures/loadgen-against-wrk.js';
import { proxyLatencySection } from './figures/proxy-latency.js';
import { roundRobinFigure } from './figures/round-robin.js';
import { saturationSection } from './figures/saturation.js';
import { serviceTimeSection } from './figures/service-time.js';
import { startupFigure } from './figures/startup.js';
import type { Measurements } from './measurements.js';
import type { Summary } from './summary.js';
import type { Target } from './targets.js';

export interface Method {
  tool: string;
  /** What the load went to, and by which path. */
  target: string;
  /** Seconds of each repetition, warm-up left out; null where a count or a command sets the length. */
  durationSeconds: number | null;
  connections: number | null;
  repetitions: number;
  /** Requests of each repetition, when a count rather than a duration sets the length. */
  requests?: number;
}

export interface Figure extends Summary {
  id: string;
  /** The report's # column (targets.ts, ITEMS). */
  item: number;
  name: string;
  unit: string;
  method: Method;
  target: Target | null;
  /** Whether the median meets the target; null without a target. */
  met: boolean | null;
  /** What bounded a load bench, by most repetitions: the lab, or the tools measuring it. */
  limitedBy?: string;
  note?: string;
}

export interface PerfReport {
  generatedAt: string;
  quick: boolean;
  machine: { cores: number; versions: Record<string, string> };
  project: string;
  startedAt: string;
  finishedAt: string;
  figures: Figure[];
  /** One line per bench on what limited it, and on anything left out. */
  notes: string[];
}

/** A section for a measurement that could not run: no figures, and a note saying why. */
const notMeasured = (what: string, reason: string | undefined): Section => ({
  figures: [],
  notes: [`${what} not measured: ${reason ?? 'no runs'}.`],
});

export function buildReport(measurements: Measurements, generatedAt: Date): PerfReport {
  const { options } = measurements;
  const sections: Section[] = [
    serviceTimeSection(measurements),
    saturationSection(measurements),
    // hello against the seed under wrk, which costs little per answer (the target), and under the
    // lab's own load generator.
    measurements.seedWrk.length > 0
      ? helloAgainstSeedSection(measurements.seedWrk, 'wrk', options)
      : notMeasured(`${itemLabel('helloAgainstSeed')} under wrk`, measurements.skipped.seedWrk),
    helloAgainstSeedSection(measurements.seed, 'loadgen', options),
    proxyLatencySection(measurements.proxy, measurements.fairness, options),
    measurements.ceiling.length > 0
      ? loadgenAgainstWrkSection(measurements.ceiling, options)
      : notMeasured(itemLabel('loadgenAgainstWrk'), measurements.skipped.ceiling),
    { figures: [roundRobinFigure(measurements), startupFigure(measurements)], notes: [] },
    halfLoadSection(measurements),
    directReplicasSection(measurements),
    liveViewSection(measurements),
  ];
  return {
    generatedAt: generatedAt.toISOString(),
    quick: options.quick,
    machine: { cores: measurements.cores, versions: measurements.versions },
    project: options.project,
    startedAt: measurements.startedAt,
    finishedAt: measurements.finishedAt,
    figures: sections.flatMap((section) => section.figures),
    notes: sections.flatMap((section) => section.notes),
  };
}
