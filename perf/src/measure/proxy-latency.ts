import { BARE_NGINX, BARE_NGINX_URL, NGINX_URL } from '../lab.js';
import { type LatencyRun, PROXY_PATHS, type ProxyPath, type ProxyRun } from '../measurements.js';
import type { LatencyResult } from '../probe/probe.js';
import { percentile } from '../summary.js';
import { type Context, rotated, waitForNginx } from './context.js';

/** One run of the probe against one URL: its percentiles, from microsecond timings. */
async function latencyRun(ctx: Context, url: string, connections: number): Promise<LatencyRun> {
  const { stdout } = await ctx.lab.probe(ctx.driver, ctx.probe, 'latency', {
    PROBE_URL: url,
    PROBE_CONNECTIONS: connections,
    PROBE_SECONDS: ctx.options.latencyDuration,
    PROBE_WARMUP: ctx.options.warmup,
  });
  const { latenciesUs, errors, reconnects } = JSON.parse(stdout) as LatencyResult;
  const sorted = [...latenciesUs].sort((a, b) => a - b);
  return {
    p50Ms: percentile(sorted, 50) / 1000,
    p99Ms: percentile(sorted, 99) / 1000,
    requests: sorted.length,
    errors,
    reconnects,
  };
}

/**
 * The proxy's cost in latency: direct to one replica, through the lab's nginx to it, and through a
 * bare nginx to it, at 1 and at C connections; each repetition starts with another of the three.
 */
export async function measureProxyLatency(ctx: Context): Promise<ProxyRun[]> {
  const { lab, options, log } = ctx;
  await lab.scale(1, 0);
  await waitForNginx(ctx);
  const [replica] = await lab.containerIds('hello');
  if (!replica) throw new Error('no replica is running');
  // The bare nginx resolves "hello" when it starts: now, with the one replica.
  await lab.startPerfServices([BARE_NGINX]);
  try {
    await lab.probe(ctx.driver, ctx.probe, 'wait', { PROBE_URL: BARE_NGINX_URL });
    const urls: Record<ProxyPath, string> = {
      direct: `http://${await lab.address(replica)}:8080/`,
      nginx: NGINX_URL,
      bare: BARE_NGINX_URL,
    };
    const runs: ProxyRun[] = [];
    for (const connections of [...new Set([1, options.connections])]) {
      for (let r = 0; r < options.repetitions; r++) {
        const order = rotated(PROXY_PATHS, r);
        const measured: Partial<Record<ProxyPath, LatencyRun>> = {};
        for (const path of order) measured[path] = await latencyRun(ctx, urls[path], connections);
        const run = { connections, first: order[0], ...(measured as Record<ProxyPath, LatencyRun>) };
        runs.push(run);
        const p50 = (path: ProxyPath) => run[path].p50Ms.toFixed(3);
        log(
          `proxy latency, ${connections} connections, ${r + 1}/${options.repetitions}: p50 ` +
            `${p50('direct')} ms direct, ${p50('nginx')} ms through nginx, ${p50('bare')} ms through a bare nginx`,
        );
      }
    }
    return runs;
  } finally {
    await lab.stopPerfServices([BARE_NGINX]);
  }
}
