import { NGINX_URL } from '../lab.js';
import { type HalfLoadRun, type OpenLoopRun, TAIL_PATHS, type TailPath } from '../measurements.js';
import type { LoadResult } from '../parse.js';
import { parseLoadResult } from '../parse.js';
import { hostLoadgen } from '../tools/host-loadgen.js';
import { type LoadgenRun, loadgenArgs } from '../tools/loadgen-args.js';
import { type Context, rotated, waitForNginx } from './context.js';

function openLoopRun(result: LoadResult): OpenLoopRun {
  if (!result.openLoop) throw new Error('the load generator ran no open loop');
  return {
    p50Ms: result.p50Ms,
    p99Ms: result.p99Ms,
    sentP99Ms: result.openLoop.sentP99Ms,
    late: result.openLoop.late,
    scheduled: result.openLoop.scheduled,
    errors: result.errors,
  };
}

/**
 * The tail at half the capacity: evenly spaced arrivals at half the saturated throughput of the
 * N replicas, latency from each request's intended start. Inside the lab's network (the driver to
 * nginx) and from the host through the published port, as a browser or curl goes, alternating.
 */
export async function measureHalfLoad(ctx: Context, capacityRps: number): Promise<HalfLoadRun[]> {
  const { lab, options, log } = ctx;
  await lab.scale(options.replicas, null);
  await waitForNginx(ctx);
  const rate = Math.max(1, Math.round(capacityRps / 2));
  const load = (url: string): LoadgenRun => ({
    url,
    connections: options.connections,
    duration: options.duration,
    warmup: options.warmup,
    rate,
    arrivals: 'constant',
  });
  const paths: Record<TailPath, () => Promise<OpenLoopRun>> = {
    inside: async () => {
      const { stdout } = await lab.loadgen(ctx.driver, loadgenArgs(load(NGINX_URL)));
      return openLoopRun(parseLoadResult(stdout));
    },
    port: async () => openLoopRun(await hostLoadgen(loadgenArgs(load(`http://127.0.0.1:${options.port}/`)))),
  };
  const runs: HalfLoadRun[] = [];
  for (let r = 0; r < options.repetitions; r++) {
    const order = rotated(TAIL_PATHS, r);
    const measured: Partial<Record<TailPath, OpenLoopRun>> = {};
    for (const path of order) measured[path] = await paths[path]();
    const run = {
      first: order[0],
      replicas: options.replicas,
      rate,
      ...(measured as Record<TailPath, OpenLoopRun>),
    };
    runs.push(run);
    log(
      `half the capacity, ${rate} req/s evenly spaced, ${r + 1}/${options.repetitions}: p99 ` +
        `${run.inside.p99Ms.toFixed(1)} ms inside, ${run.port.p99Ms.toFixed(1)} ms through the port ` +
        `(${run.inside.late} and ${run.port.late} of ${run.inside.scheduled} sends late)`,
    );
  }
  return runs;
}
