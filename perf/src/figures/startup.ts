import type { Figure } from '../figures.js';
import type { Measurements } from '../measurements.js';
import { TARGETS } from '../targets.js';
import { figure } from './figure.js';

/** Seconds from `docker compose up` to every replica healthy. */
export function startupFigure(measurements: Measurements): Figure {
  const { options } = measurements;
  return figure({
    id: 'startup',
    item: 'startup',
    name: `Start-up: docker compose up --wait, ${options.replicas} replicas healthy (images built)`,
    unit: 's',
    samples: measurements.startup,
    method: {
      tool: `docker compose up -d --wait --scale hello=${options.replicas}, timed; down between repetitions`,
      target: 'the whole lab',
      durationSeconds: null,
      connections: null,
      repetitions: options.repetitions,
    },
    target: TARGETS.startup,
    decimals: 2,
  });
}
