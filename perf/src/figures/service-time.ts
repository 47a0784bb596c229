import type { Measurements } from '../measurements.js';
import { figure, LOADGEN, type Section } from './figure.js';

/** The busy loop's cost, and the machine's limit from it. */
export function serviceTimeSection(measurements: Measurements): Section {
  const { options, cores, serviceTime } = measurements;
  const method = {
    tool: LOADGEN,
    target: `nginx to ${options.replicas} replicas with the busy loop; Server-Timing cpu;dur of every answer`,
    durationSeconds: options.latencyDuration,
    connections: 1,
    repetitions: options.repetitions,
  };
  return {
    figures: [
      figure({
        id: 'service-time',
        item: 'serviceTime',
        name: 'Busy loop, CPU per request (in process)',
        unit: 'ms',
        samples: serviceTime.map((run) => run.cpuMs),
        method,
      }),
      figure({
        id: 'machine-limit',
        item: 'serviceTime',
        name: `Machine limit: ${cores} cores / service time`,
        unit: 'req/s',
        samples: serviceTime.map((run) => (cores * 1000) / run.cpuMs),
        method,
        decimals: 1,
      }),
    ],
    notes: [],
  };
}
