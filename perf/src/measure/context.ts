// What the measurements in the driver share: the lab, the options, the log, the driver container
// and the probe's script, and the few steps more than one of them takes.
import { type Lab, NGINX_URL } from '../lab.js';
import type { PerfOptions } from '../options.js';
import { parseLoadResult } from '../parse.js';
import { type LoadgenRun, loadgenArgs } from '../tools/loadgen-args.js';

export type Log = (line: string) => void;

export interface Context {
  lab: Lab;
  options: PerfOptions;
  log: Log;
  driver: string;
  probe: string;
}

/**
 * Each repetition starts one further along the list (two alternate), so that drift on a shared
 * machine hits all alike.
 */
export const rotated = <T>(items: readonly [T, ...T[]], repetition: number): [T, ...T[]] => {
  const shift = repetition % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)] as [T, ...T[]];
};

/** A run of the lab's load generator in the driver, through the lab's nginx. */
export async function loadThroughNginx(ctx: Context, load: Omit<LoadgenRun, 'url'>) {
  const { stdout, seconds } = await ctx.lab.loadgen(ctx.driver, loadgenArgs({ url: NGINX_URL, ...load }));
  return { result: parseLoadResult(stdout), seconds };
}

/** Each replica's accepted-connection count, read through nginx. */
export async function connectionCounts(ctx: Context, replicas: number): Promise<Record<string, number>> {
  const { stdout } = await ctx.lab.probe(ctx.driver, ctx.probe, 'scrape', {
    PROBE_URL: `${NGINX_URL}metrics`,
    PROBE_REPLICAS: replicas,
  });
  return JSON.parse(stdout);
}

/**
 * Waits until nginx hands requests to exactly the running replicas: it re-resolves their name
 * every second, so a scale or a restart takes it a second or two to follow.
 */
export async function waitForNginx(ctx: Context): Promise<void> {
  const ids = await ctx.lab.containerIds('hello');
  const deadline = Date.now() + 15_000;
  for (;;) {
    // While replicas come and go a scrape may fail: it is tried again until the deadline.
    const seen = Object.keys(await connectionCounts(ctx, ids.length).catch(() => ({})));
    const all = ids.every((id) => seen.some((hostname) => id.startsWith(hostname)));
    if (all && seen.length === ids.length) return;
    if (Date.now() > deadline)
      throw new Error(`nginx does not reach the ${ids.length} replicas: it answers from ${seen.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
