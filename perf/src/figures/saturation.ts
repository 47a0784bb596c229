import type { Measurements, SaturationRun } from '../measurements.js';
import { replicaCounts } from '../options.js';
import { median, round } from '../summary.js';
import { TARGETS } from '../targets.js';
import { figure, itemLabel, LOADGEN, plural, type Section } from './figure.js';
import { majority, saturationLimit } from './limits.js';

/** Saturated throughput at each replica count, against the machine's limit and what the lab may use. */
export function saturationSection(measurements: Measurements): Section {
  const { options, cores } = measurements;
  const serviceMs = median(measurements.serviceTime.map((run) => run.cpuMs));
  const section: Section = { figures: [], notes: [] };
  for (const replicas of replicaCounts(options.replicas)) {
    const runs = measurements.saturation.filter((run) => run.replicas === replicas);
    const replicaCount = plural(replicas, 'replica', 'replicas');
    const method = {
      tool: LOADGEN,
      target: `nginx to ${replicaCount} with the busy loop`,
      durationSeconds: options.duration,
      connections: options.connections,
      repetitions: options.repetitions,
    };
    const limitedBy = majority(runs.map((run) => saturationLimit(run, cores)));
    const used = (pick: (run: SaturationRun) => number) => round(median(runs.map(pick)), 2);
    const coresUsed =
      `cores used (medians): replicas ${used((run) => run.replicaCores)}, nginx ${used((run) => run.nginxCores)}, ` +
      `load generator ${used((run) => run.loadgenCores)}, other work on the machine ${used((run) => run.otherCores)}`;
    // What the replicas could answer on the cores nginx and the load generator left them.
    const labLimit = (run: SaturationRun) =>
      (Math.max(0, Math.min(replicas, cores - run.nginxCores - run.loadgenCores)) * 1000) / serviceMs;
    section.figures.push(
      figure({
        id: `throughput-${replicas}`,
        item: 'saturation',
        name: `Throughput, ${replicaCount}`,
        unit: 'req/s',
        samples: runs.map((run) => run.rps),
        method,
        limitedBy,
        decimals: 1,
      }),
      figure({
        id: `of-machine-limit-${replicas}`,
        item: 'saturation',
        name: `\u2026 as a fraction of the machine limit`,
        unit: '',
        samples: runs.map((run) => (run.rps * serviceMs) / (cores * 1000)),
        method,
      }),
      figure({
        id: `of-lab-limit-${replicas}`,
        item: 'saturation',
        name: `\u2026 of min(replicas, cores left after nginx and load generator) / service time`,
        unit: '',
        samples: runs.map((run) => run.rps / labLimit(run)),
        method,
        target: TARGETS.ofLabLimit,
        limitedBy,
        note: coresUsed,
      }),
    );
    // Each repetition's sample, or none: a run whose model had no capacity (other work took every
    // core) is said in a note instead.
    const modelled = runs.filter((run) => run.modelCapacityRps !== null && run.modelCapacityRps > 0);
    if (modelled.length < runs.length)
      section.notes.push(
        `${itemLabel('saturation')}, ${replicaCount}: the load generator\u2019s model had no capacity in ${runs.length - modelled.length} of ${runs.length} runs (no core left for the replicas), so how far it is off is not given.`,
      );
    else
      section.figures.push(
        figure({
          id: `model-capacity-off-${replicas}`,
          item: 'saturation',
          name: `\u2026 how far the load generator\u2019s model (min(replicas, free cores) / S under load) is off`,
          unit: '%',
          samples: modelled.map((run) => Math.abs(run.rps / (run.modelCapacityRps as number) - 1) * 100),
          method,
          target: TARGETS.modelCapacityOff,
          decimals: 1,
        }),
      );
    section.notes.push(`${itemLabel('saturation')}, ${replicaCount}: limited by ${limitedBy}; ${coresUsed}.`);
  }
  return section;
}
