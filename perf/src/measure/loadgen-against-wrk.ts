import type { CeilingRun } from '../measurements.js';
import type { PerfOptions } from '../options.js';
import { hostLoadgen } from '../tools/host-loadgen.js';
import { loadgenArgs } from '../tools/loadgen-args.js';
import { startTrivialTarget } from '../tools/trivial-target.js';
import { runWrk } from '../tools/wrk.js';
import { type Log, rotated } from './context.js';

/**
 * The load generator's own ceiling: it and wrk, on the host, against the same trivial loopback
 * target, alternating.
 */
export async function measureLoadgenAgainstWrk(options: PerfOptions, log: Log): Promise<CeilingRun[]> {
  const target = startTrivialTarget();
  try {
    const url = await target.url;
    // wrk takes whole seconds, as do all durations of the job (options.ts).
    const seconds = options.duration;
    const wrk = async (duration: number) => {
      const before = await target.cpuSeconds();
      const result = await runWrk(url, options.serverConnections, duration);
      return {
        rps: result.requestsPerSecond,
        targetCores: ((await target.cpuSeconds()) - before) / result.seconds,
        wrkCores: result.wrkCores,
      };
    };
    const loadgen = async (duration: number) => {
      const before = await target.cpuSeconds();
      const load = loadgenArgs({ url, connections: options.serverConnections, duration, warmup: 0 });
      const result = await hostLoadgen(load);
      return {
        rps: result.throughputRps,
        loadgenCores: result.loadgenCores,
        targetCores: ((await target.cpuSeconds()) - before) / result.seconds,
      };
    };
    await wrk(1);
    await loadgen(1);
    const runs: CeilingRun[] = [];
    for (let r = 0; r < options.repetitions; r++) {
      const order = rotated(['wrk', 'loadgen'] as const, r);
      let wrkRun: CeilingRun['wrk'] | undefined;
      let loadgenRun: CeilingRun['loadgen'] | undefined;
      for (const tool of order) {
        if (tool === 'wrk') wrkRun = await wrk(seconds);
        else loadgenRun = await loadgen(seconds);
      }
      const ceiling = {
        first: order[0],
        wrk: wrkRun as CeilingRun['wrk'],
        loadgen: loadgenRun as CeilingRun['loadgen'],
      };
      runs.push(ceiling);
      log(
        `load generator against wrk ${r + 1}/${options.repetitions}: ${ceiling.loadgen.rps.toFixed(0)} against ` +
          `${ceiling.wrk.rps.toFixed(0)} req/s`,
      );
    }
    return runs;
  } finally {
    target.stop();
  }
}
