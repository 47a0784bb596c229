import { availableParallelism, cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { measureOtherCores, OTHER_WORK_SAMPLE_MS, type OtherWorkSources } from '../src/other-work.js';

/**
 * A machine whose figures move only when the sample sleeps: over the sleep its busy CPU grows by
 * `busy` seconds, this process's by `own`, and the clock by `sleptMs` (the sleep's own ms unless given).
 */
function fakeMachine({ busy, own, sleptMs }: { busy: number; own: number; sleptMs?: number }) {
  const state = { busy: 64, own: 1, nowMs: 1000, sleeps: [] as number[] };
  const sources: OtherWorkSources = {
    machineBusySeconds: async () => state.busy,
    ownCpuSeconds: () => state.own,
    nowMs: () => state.nowMs,
    sleep: async (ms) => {
      state.sleeps.push(ms);
      state.busy += busy;
      state.own += own;
      state.nowMs += sleptMs ?? ms;
    },
  };
  return { state, sources };
}

describe('measureOtherCores', () => {
  it("is the machine's busy CPU less this process's, per second of the sample", async () => {
    const { state, sources } = fakeMachine({ busy: 0.875, own: 0.125 });
    // (0.875 - 0.125) s of CPU in 0.5 s
    expect(await measureOtherCores(undefined, sources)).toBe(1.5);
    expect(state.sleeps).toEqual([OTHER_WORK_SAMPLE_MS]);
    expect(OTHER_WORK_SAMPLE_MS).toBe(500);
  });

  it('divides by the time the sample really took, not the time it asked for', async () => {
    const { sources } = fakeMachine({ busy: 0.75, own: 0, sleptMs: 625 });
    expect(await measureOtherCores(undefined, sources)).toBe(1.2);
  });

  it('is never below 0: /proc/stat counts in 10 ms ticks, the process in microseconds', async () => {
    const { sources } = fakeMachine({ busy: 0.01, own: 0.012 });
    expect(await measureOtherCores(undefined, sources)).toBe(0);
  });

  it('is 0 where /proc/stat cannot be read', async () => {
    const { state, sources } = fakeMachine({ busy: 1, own: 0 });
    const missing = Object.assign(new Error("ENOENT: no such file or directory, open '/proc/stat'"), {
      code: 'ENOENT',
    });
    const result = await measureOtherCores(undefined, {
      ...sources,
      machineBusySeconds: () => Promise.reject(missing),
    });
    expect(result).toBe(0);
    expect(state.sleeps).toEqual([]);
  });

  it('stops at once when the signal aborts', async () => {
    const controller = new AbortController();
    controller.abort();
    const startMs = performance.now();
    expect(await measureOtherCores(controller.signal)).toBe(0);
    expect(performance.now() - startMs).toBeLessThan(OTHER_WORK_SAMPLE_MS / 2);
  });

  it('reads this machine in half a second: a number of cores from 0 to what it has', async () => {
    const startMs = performance.now();
    const cores = await measureOtherCores();
    expect(performance.now() - startMs).toBeGreaterThanOrEqual(OTHER_WORK_SAMPLE_MS - 5);
    expect(Number.isFinite(cores)).toBe(true);
    expect(cores).toBeGreaterThanOrEqual(0);
    // /proc/stat counts every core of the machine (of the host, in a container); a tick of slack
    // on each, as it and the clock are not read at the same instant
    expect(cores).toBeLessThanOrEqual(Math.max(availableParallelism(), cpus().length) * 1.1);
  });
});
