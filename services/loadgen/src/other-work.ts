// The machine's other work, for the model: what else keeps its cores busy while the lab is idle.
import { performance } from 'node:perf_hooks';
import { machineCpuSeconds } from '@hello-lab/shared/cpu-time';

/** How long the machine is watched: long enough for /proc/stat's 10 ms ticks to add up. */
export const OTHER_WORK_SAMPLE_MS = 500;

/** Where the sample reads its figures; the defaults are the machine's, a test gives its own. */
export interface OtherWorkSources {
  /** Busy CPU seconds of the whole machine since boot (/proc/stat); rejects where there is none. */
  machineBusySeconds: () => Promise<number>;
  /** This process's CPU seconds so far (user + system, all threads). */
  ownCpuSeconds: () => number;
  /** A monotonic clock, in ms. */
  nowMs: () => number;
  /** Waits `ms`, or less when the signal aborts. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done);
  });
}

export const MACHINE_SOURCES: OtherWorkSources = {
  machineBusySeconds: async () => (await machineCpuSeconds()).busy,
  ownCpuSeconds: () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1e6;
  },
  nowMs: () => performance.now(),
  sleep,
};

/**
 * The cores that other work on the machine keeps busy: the machine's busy CPU over
 * OTHER_WORK_SAMPLE_MS, less this process's own over the same time, per second of it; never below
 * 0. Inside a container /proc/stat is the whole host's, which is what the model needs: the
 * replicas share the host's cores. 0 where /proc/stat cannot be read (not Linux), and when the
 * signal aborts the sample (the caller then stops).
 */
export async function measureOtherCores(
  signal?: AbortSignal,
  sources: OtherWorkSources = MACHINE_SOURCES,
): Promise<number> {
  let busyAtStart: number;
  try {
    busyAtStart = await sources.machineBusySeconds();
  } catch {
    return 0;
  }
  const ownAtStart = sources.ownCpuSeconds();
  const startMs = sources.nowMs();
  await sources.sleep(OTHER_WORK_SAMPLE_MS, signal);
  if (signal?.aborted) return 0;
  let busy: number;
  try {
    busy = (await sources.machineBusySeconds()) - busyAtStart;
  } catch {
    return 0;
  }
  const own = sources.ownCpuSeconds() - ownAtStart;
  const seconds = (sources.nowMs() - startMs) / 1000;
  return seconds > 0 ? Math.max(0, (busy - own) / seconds) : 0;
}
