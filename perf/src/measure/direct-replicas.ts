import type { DirectRun } from '../measurements.js';
import { parseLoadResult } from '../parse.js';
import { loadgenArgs } from '../tools/loadgen-args.js';
import { type Context, loadThroughNginx, rotated, waitForNginx } from './context.js';

const REPLICAS = 2;

/**
 * What the proxy costs in throughput: two replicas saturated through nginx, and the same two
 * driven directly by the same load generator, half the connections to each (two of its processes
 * side by side in the driver), one after the other.
 */
export async function measureDirectReplicas(ctx: Context): Promise<DirectRun[]> {
  const { lab, options, log } = ctx;
  await lab.scale(REPLICAS, null);
  await waitForNginx(ctx);
  const addresses = await Promise.all((await lab.containerIds('hello')).map((id) => lab.address(id)));
  const load = { duration: options.duration, warmup: options.warmup };
  const connections = Math.max(1, Math.round(options.connections / REPLICAS));
  const ways = {
    nginx: async () => {
      const { result } = await loadThroughNginx(ctx, { connections: options.connections, ...load });
      return { rps: result.throughputRps, errors: result.errors };
    },
    direct: async () => {
      const results = await Promise.all(
        addresses.map(async (address) => {
          const args = loadgenArgs({ url: `http://${address}:8080/`, connections, ...load });
          return parseLoadResult((await lab.loadgen(ctx.driver, args)).stdout);
        }),
      );
      return {
        rps: results.reduce((sum, result) => sum + result.throughputRps, 0),
        errors: results.reduce((sum, result) => sum + result.errors, 0),
      };
    },
  };
  const runs: DirectRun[] = [];
  for (let r = 0; r < options.repetitions; r++) {
    const order = rotated(['nginx', 'direct'] as const, r);
    const measured: Partial<Record<'nginx' | 'direct', DirectRun['nginx']>> = {};
    for (const way of order) measured[way] = await ways[way]();
    const run = { first: order[0], nginx: measured.nginx, direct: measured.direct } as DirectRun;
    runs.push(run);
    log(
      `${REPLICAS} replicas, ${r + 1}/${options.repetitions}: ${run.nginx.rps.toFixed(0)} req/s through nginx, ` +
        `${run.direct.rps.toFixed(0)} req/s directly`,
    );
  }
  return runs;
}
