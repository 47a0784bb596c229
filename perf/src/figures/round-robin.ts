import type { Figure } from '../figures.js';
import type { Measurements } from '../measurements.js';
import { TARGETS } from '../targets.js';
import { figure, LOADGEN } from './figure.js';

/** The largest distance of a replica's share from an even share, in percentage points. */
export function roundRobinDeviation(hostnames: Record<string, number>, replicas: number): number {
  const counts = Object.values(hostnames);
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return Number.NaN;
  // A replica that got nothing is as far off as it gets.
  const shares = [...counts, ...Array(Math.max(0, replicas - counts.length)).fill(0)].map((n) => n / total);
  return Math.max(...shares.map((share) => Math.abs(share - 1 / replicas))) * 100;
}

/** How evenly nginx's round robin spreads the answers over the replicas. */
export function roundRobinFigure(measurements: Measurements): Figure {
  const { options } = measurements;
  return figure({
    id: 'round-robin-deviation',
    item: 'roundRobin',
    name: `Round robin: largest deviation from an even share, ${options.replicas} replicas`,
    unit: '%',
    samples: measurements.fairness.map((run) => roundRobinDeviation(run.hostnames, options.replicas)),
    method: {
      tool: LOADGEN,
      target: `nginx to ${options.replicas} replicas without the loop; answers counted by X-Hostname`,
      durationSeconds: null,
      connections: options.connections,
      repetitions: options.repetitions,
      requests: options.fairnessRequests,
    },
    target: TARGETS.roundRobinDeviation,
  });
}
