import type { HalfLoadRun, Measurements, TailPath } from '../measurements.js';
import { median, round } from '../summary.js';
import { TARGETS } from '../targets.js';
import { figure, itemLabel, LOADGEN, type Section } from './figure.js';

const PATHS: Record<TailPath, string> = {
  inside: 'inside the lab’s network, to nginx',
  port: 'from the host, through the published port',
};

/** The open loop's tail at half the capacity, by path, in multiples of the service time. */
export function halfLoadSection(measurements: Measurements): Section {
  const { options, halfLoad } = measurements;
  const section: Section = { figures: [], notes: [] };
  if (halfLoad.length === 0) return section;
  const serviceMs = median(measurements.serviceTime.map((run) => run.cpuMs));
  const rate = median(halfLoad.map((run) => run.rate));
  const method = (path: TailPath) => ({
    tool: path === 'inside' ? LOADGEN : 'loadgen (the lab’s CLI) on the host',
    target: `nginx to ${options.replicas} replicas with the busy loop, ${PATHS[path]}; ${rate} req/s evenly spaced (half the saturated throughput); each repetition starts with the other path`,
    durationSeconds: options.duration,
    connections: options.connections,
    repetitions: options.repetitions,
  });
  const ms = (pick: (run: HalfLoadRun) => number) => round(median(halfLoad.map(pick)), 1);
  for (const path of ['inside', 'port'] as const) {
    const note =
      `medians: p50 ${ms((run) => run[path].p50Ms)} ms, p99 ${ms((run) => run[path].p99Ms)} ms from the intended start, ` +
      `${ms((run) => run[path].sentP99Ms)} ms from the send; ${ms((run) => run[path].late)} of ` +
      `${ms((run) => run[path].scheduled)} sends late by more than 1 ms; S ${round(serviceMs, 2)} ms`;
    section.figures.push(
      figure({
        id: `half-load-p99-${path}`,
        item: 'halfLoad',
        name: `p99 at half the capacity, evenly spaced, ${PATHS[path]}, over S`,
        unit: '× S',
        samples: halfLoad.map((run) => run[path].p99Ms / serviceMs),
        method: method(path),
        target: path === 'inside' ? TARGETS.halfLoadInsideP99 : TARGETS.halfLoadPortP99,
        note,
        decimals: 1,
      }),
    );
    section.notes.push(`${itemLabel('halfLoad')}, ${PATHS[path]}: ${note}.`);
  }
  return section;
}
