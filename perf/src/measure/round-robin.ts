import type { FairnessRun } from '../measurements.js';
import { type Context, connectionCounts, loadThroughNginx } from './context.js';

/** Health checks that started between two moments, over all replicas: each opens a connection. */
async function healthChecksBetween(ctx: Context, from: number, to: number): Promise<number> {
  const ids = await ctx.lab.containerIds('hello');
  const times = (await Promise.all(ids.map((id) => ctx.lab.healthCheckTimes(id)))).flat();
  return times.filter((time) => time >= from && time <= to).length;
}

/**
 * Round robin and keep-alive: counted runs through nginx to N replicas without the loop, the
 * answers counted by replica and the connections nginx opened to them meanwhile.
 */
export async function measureRoundRobin(ctx: Context): Promise<FairnessRun[]> {
  const { options, log } = ctx;
  // Connections to the replicas opened before counting, as in a lab that has been running, and
  // nginx given a few of its one-second re-resolutions to settle on the replicas just started.
  await loadThroughNginx(ctx, { duration: 2, warmup: 0, connections: options.connections });
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const runs: FairnessRun[] = [];
  for (let r = 0; r < options.repetitions; r++) {
    const from = Date.now();
    const before = await connectionCounts(ctx, options.replicas);
    const { result } = await loadThroughNginx(ctx, {
      amount: options.fairnessRequests,
      connections: options.connections,
      warmup: 0,
    });
    const after = await connectionCounts(ctx, options.replicas);
    // The replicas' own health checks connect directly, not through nginx: left out.
    const healthChecks = await healthChecksBetween(ctx, from, Date.now());
    const accepted = Object.keys(after)
      .filter((replica) => replica in before)
      .reduce((sum, replica) => sum + ((after[replica] ?? 0) - (before[replica] ?? 0)), 0);
    const newConnections = Math.max(0, accepted - healthChecks);
    runs.push({
      requests: result.requests,
      errors: result.errors,
      hostnames: result.hostnames,
      newConnections,
      healthChecks,
    });
    log(
      `round robin ${r + 1}/${options.repetitions}: ${JSON.stringify(result.hostnames)}, ` +
        `${newConnections} new connections from nginx to the replicas (${healthChecks} health checks left out)`,
    );
  }
  return runs;
}
