import type { ServiceTimeRun } from '../measurements.js';
import { type Context, loadThroughNginx } from './context.js';

/** The busy loop's cost per answer, in process (Server-Timing), one request at a time through nginx. */
export async function measureServiceTime(ctx: Context): Promise<ServiceTimeRun[]> {
  const { options, log } = ctx;
  const runs: ServiceTimeRun[] = [];
  for (let r = 0; r < options.repetitions; r++) {
    const { result } = await loadThroughNginx(ctx, {
      connections: 1,
      duration: options.latencyDuration,
      warmup: options.warmup,
    });
    if (result.cpuMs === null || result.workMs === null)
      throw new Error('the answers carried no Server-Timing');
    runs.push({ cpuMs: result.cpuMs, wallMs: result.workMs, rps: result.throughputRps });
    log(`service time ${r + 1}/${options.repetitions}: ${result.cpuMs.toFixed(2)} ms CPU per answer`);
  }
  return runs;
}
