import type { CeilingRun, Measurements } from '../measurements.js';
import { median, round } from '../summary.js';
import { TARGETS } from '../targets.js';
import { figure, itemLabel, type Section } from './figure.js';
import { ceilingLimit, majority } from './limits.js';

/** The load generator's own ceiling, against wrk on the same trivial target. */
export function loadgenAgainstWrkSection(runs: CeilingRun[], options: Measurements['options']): Section {
  const method = {
    tool: 'wrk -t1 and loadgen (the lab\u2019s autocannon CLI) on the host, alternating',
    target: 'a trivial node:http server on loopback that answers "ok"',
    durationSeconds: options.duration,
    connections: options.serverConnections,
    repetitions: options.repetitions,
  };
  const limitedBy = majority(runs.map(ceilingLimit));
  const cores = (pick: (run: CeilingRun) => number) => round(median(runs.map(pick)), 2);
  const note =
    `${itemLabel('loadgenAgainstWrk')}: the load generator used ${cores((run) => run.loadgen.loadgenCores)} ` +
    `cores and wrk ${cores((run) => run.wrk.wrkCores)} (each runs on one); the target used ` +
    `${cores((run) => run.loadgen.targetCores)} cores under the load generator and ` +
    `${cores((run) => run.wrk.targetCores)} under wrk. Limited by ${limitedBy}.`;
  return {
    figures: [
      figure({
        id: 'wrk-rps',
        item: 'loadgenAgainstWrk',
        name: 'wrk, requests/s',
        unit: 'req/s',
        samples: runs.map((run) => run.wrk.rps),
        method,
        decimals: 1,
      }),
      figure({
        id: 'loadgen-rps',
        item: 'loadgenAgainstWrk',
        name: 'loadgen, requests/s',
        unit: 'req/s',
        samples: runs.map((run) => run.loadgen.rps),
        method,
        limitedBy,
        decimals: 1,
      }),
      figure({
        id: 'loadgen-wrk-ratio',
        item: 'loadgenAgainstWrk',
        name: 'loadgen / wrk, requests/s',
        unit: '',
        samples: runs.map((run) => run.loadgen.rps / run.wrk.rps),
        method,
        target: TARGETS.loadgenOverWrk,
        limitedBy,
      }),
    ],
    notes: [note],
  };
}
