// What bounded each load bench: the lab, or the tools measuring it. Pure.
import type { CeilingRun, SaturationRun, SeedRun, ServerRun } from '../measurements.js';

// A part counts as used up from 90 % of the CPU it may use: the rest is the scheduler's slack.
const SATURATED = 0.9;

/** What bounded a saturated run through nginx: the load generator, the proxy, the replicas, or others. */
export function saturationLimit(run: SaturationRun, cores: number): string {
  if (run.loadgenCores >= SATURATED * run.loadgenLimit) return 'load generator';
  if (run.nginxCores >= SATURATED * run.nginxLimit) return 'nginx';
  const left = Math.min(run.replicas, cores - run.nginxCores - run.loadgenCores);
  if (run.replicaCores >= SATURATED * left) return 'replicas (lab)';
  // Every core busy, whoever had them: the machine's CPU is the limit.
  const busy = run.replicaCores + run.nginxCores + run.loadgenCores + run.otherCores;
  if (busy >= SATURATED * cores) return 'CPU (every core busy)';
  if (run.otherCores >= 0.25) return 'other work on the machine';
  return 'lab (not CPU)';
}

/** What bounded one server run: the load generator's core, the server's core, or neither. */
export function serverLimit(run: ServerRun): string {
  if (run.loadgenCores >= SATURATED * run.loadgenLimit) return 'load generator';
  if (run.serverCores >= SATURATED * run.serverLimit) return 'server';
  return 'other work on the machine';
}

/** What bounded a pair of server runs: the load tool if either says so, else a server, else the seed's. */
export function seedLimit(run: SeedRun): string {
  const limits = [serverLimit(run.seed), serverLimit(run.hello)];
  if (limits.includes('load generator')) return 'load generator';
  if (limits.includes('server')) return 'server';
  return limits[0] ?? '';
}

export function ceilingLimit(run: CeilingRun): string {
  if (run.loadgen.loadgenCores >= SATURATED) return 'load generator';
  if (run.loadgen.targetCores >= SATURATED) return 'target';
  return 'other work on the machine';
}

/** The most frequent of the repetitions' verdicts; the first one on a tie. */
export function majority(values: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  let best = values[0] ?? 'unknown';
  for (const [value, count] of counts) if (count > (counts.get(best) ?? 0)) best = value;
  return best;
}
