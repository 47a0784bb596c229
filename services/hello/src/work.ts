import { performance } from 'node:perf_hooks';

/**
 * The seed's busy loop lives in timedSpin below, not in a function of its own: V8 may inline a
 * loop function into a hot caller and cannot then swap in optimised code for the running loop
 * (docs/performance.md). The running XOR is written to a module variable, an effect no compiler
 * may drop, so every iteration really runs and the cost grows linearly with the iterations.
 */
let sink = 0;

/** The XOR of the last loop's counters: proof for the tests that every iteration ran. */
export const lastSpinResult = (): number => sink;

/**
 * The loop's CPU time comes from the whole process's CPU clock (getrusage RUSAGE_SELF), not the
 * thread's (process.threadCpuUsage, RUSAGE_THREAD): Linux brings the calling thread's run time up
 * to date only for the former. The thread's clock lags by up to a scheduler tick at the end of
 * each loop and read about a fifth short for a loop of a few milliseconds. The other threads of
 * the process (GC helpers) add next to nothing while the loop runs.
 */
const readCpu = () => process.cpuUsage();

export interface WorkTime {
  /** Elapsed time, waits for a core included. */
  wallMs: number;
  /** CPU time the loop consumed: what it costs a core. */
  cpuMs: number;
}

/** What no loop takes: one shared object, so an answer without the loop allocates nothing here. */
const NO_WORK: WorkTime = Object.freeze({ wallMs: 0, cpuMs: 0 });

/** Runs the loop and returns how long it took, in milliseconds, by the wall clock and in CPU. */
export function timedSpin(iterations: number): WorkTime {
  // No loop, nothing to time: the clocks cost more than a whole answer without the loop.
  if (iterations === 0) return NO_WORK;
  // The CPU readings sit inside the wall readings: their own cost counts as wall time, not CPU.
  const wallStart = performance.now();
  const cpuStart = readCpu();
  let acc = 0;
  for (let i = iterations; i > 0; i--) acc ^= i;
  sink = acc;
  const cpu = readCpu();
  const wallMs = performance.now() - wallStart;
  return { wallMs, cpuMs: (cpu.user - cpuStart.user + cpu.system - cpuStart.system) / 1000 };
}

/** The Server-Timing value of every answer that ran no loop, in the same format as one that did. */
export const NO_WORK_TIMING = 'work;dur=0.000, cpu;dur=0.000';

/** The Server-Timing value for one run of the loop: `work` is its wall time, `cpu` its CPU time. */
export function serverTiming(time: WorkTime): string {
  if (time === NO_WORK) return NO_WORK_TIMING;
  return `work;dur=${time.wallMs.toFixed(3)}, cpu;dur=${time.cpuMs.toFixed(3)}`;
}
