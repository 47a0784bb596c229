import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CLOCK_TICKS, ROOT, start, stop } from '../lab.js';
import { parseProcStat } from '../parse.js';

const SCRIPT = join(ROOT, 'perf/src/tools/trivial-target.cjs');

export interface TrivialTarget {
  /** Its address on loopback, once it listens; rejected when it exits first. */
  url: Promise<string>;
  /** The CPU seconds its process has used so far. */
  cpuSeconds: () => Promise<number>;
  stop: () => void;
}

/** Starts trivial-target.cjs on the host, on a port of the kernel's choosing, which it prints. */
export function startTrivialTarget(): TrivialTarget {
  const child = start(process.execPath, [SCRIPT]);
  const url = new Promise<string>((resolve, reject) => {
    child.stdout?.once('data', (chunk) => resolve(`http://127.0.0.1:${String(chunk).trim()}/`));
    child.once('exit', () => reject(new Error('the trivial target did not start')));
  });
  return {
    url,
    cpuSeconds: async () => parseProcStat(await readFile(`/proc/${child.pid}/stat`, 'utf8'), CLOCK_TICKS),
    stop: () => stop(child),
  };
}
