// CPU time from Linux's /proc, for the benchmarks that set requests against the CPU they cost.
import { readFile } from 'node:fs/promises';

/** Text from the kernel or a tool that is not what it should be; the message is one line. */
export class ParseError extends Error {
  override name = 'ParseError';
}

/**
 * Ticks per second of the CPU times in /proc: USER_HZ, which the kernel fixes at 100 on every
 * architecture Docker runs on (what `getconf CLK_TCK` prints), whatever its internal HZ.
 */
export const CLOCK_TICKS = 100;

/** CPU seconds (user + system, all threads) of a process from /proc/<pid>/stat. */
export function parseProcStat(text: string, clockTicks = CLOCK_TICKS): number {
  // The command name is in parentheses and may hold spaces: count fields after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const user = Number(fields[11]);
  const system = Number(fields[12]);
  if (!Number.isFinite(user) || !Number.isFinite(system)) throw new ParseError('not a /proc/<pid>/stat line');
  return (user + system) / clockTicks;
}

/** Busy and total CPU seconds of the whole machine since boot, from the "cpu" line of /proc/stat. */
export function parseMachineCpu(text: string, clockTicks = CLOCK_TICKS): { busy: number; total: number } {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) throw new ParseError('no "cpu" line in /proc/stat');
  // user nice system idle iowait irq softirq steal guest guest_nice; guest time is already in user.
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line
    .trim()
    .split(/\s+/)
    .slice(1, 9)
    .map(Number) as number[];
  const busy = (user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0);
  return { busy: busy / clockTicks, total: (busy + (idle ?? 0) + (iowait ?? 0)) / clockTicks };
}

/** CPU seconds a process on this machine has used so far. */
export async function processCpuSeconds(pid: number): Promise<number> {
  return parseProcStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
}

/** Busy and total CPU seconds of this machine since boot. */
export async function machineCpuSeconds(): Promise<{ busy: number; total: number }> {
  return parseMachineCpu(await readFile('/proc/stat', 'utf8'));
}
