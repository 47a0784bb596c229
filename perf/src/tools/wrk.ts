import { run } from '../lab.js';
import { parseShellTimes, parseWrk } from '../parse.js';

/** wrk runs one thread, so that it takes a core at most. */
export const WRK_CORES = 1;

/**
 * One run of wrk on the host, and the CPU it used, in cores: bash runs it and then `times`, which
 * prints the CPU time of what it ran.
 */
export async function runWrk(url: string, connections: number, seconds: number) {
  const script = 'wrk "$@"; status=$?; times; exit $status';
  const args = [`-t${WRK_CORES}`, `-c${connections}`, `-d${seconds}s`, url];
  const { stdout } = await run('bash', ['-c', script, 'wrk', ...args]);
  const result = parseWrk(stdout);
  return { ...result, wrkCores: parseShellTimes(stdout) / result.seconds };
}
