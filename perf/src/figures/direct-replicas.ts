import type { Measurements } from '../measurements.js';
import { median, round } from '../summary.js';
import { TARGETS } from '../targets.js';
import { figure, itemLabel, LOADGEN, type Section } from './figure.js';

/** Two replicas' saturated throughput through nginx against the same two driven directly. */
export function directReplicasSection(measurements: Measurements): Section {
  const { options, direct } = measurements;
  if (direct.length === 0) return { figures: [], notes: [] };
  const rps = (way: 'nginx' | 'direct') => round(median(direct.map((run) => run[way].rps)), 0);
  const note = `medians: ${rps('nginx')} req/s through nginx, ${rps('direct')} req/s directly`;
  return {
    figures: [
      figure({
        id: 'direct-replicas',
        item: 'directReplicas',
        name: 'Throughput, 2 replicas: through nginx / the same two driven directly',
        unit: '',
        samples: direct.map((run) => run.nginx.rps / run.direct.rps),
        method: {
          tool: LOADGEN,
          target:
            'two replicas with the busy loop: through nginx, and directly with half the connections to each; ' +
            'each repetition starts with the other',
          durationSeconds: options.duration,
          connections: options.connections,
          repetitions: options.repetitions,
        },
        target: TARGETS.directReplicas,
        note,
      }),
    ],
    notes: [`${itemLabel('directReplicas')}: ${note}.`],
  };
}
