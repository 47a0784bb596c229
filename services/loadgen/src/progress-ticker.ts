import { performance } from 'node:perf_hooks';
import type { Progress, RunHooks } from './run.js';

/**
 * Reports a phase's progress now, then once a second until stopped: the answers of the last
 * second and the failures so far, read from `counts`. Returns the stop function.
 */
export function tickProgress(
  phase: Progress['phase'],
  hooks: RunHooks,
  counts: () => { answered: number; errors: number },
  startMs = performance.now(),
): () => void {
  let lastAnswered = 0;
  const tick = () => {
    const { answered, errors } = counts();
    hooks.onProgress?.({
      phase,
      elapsedSeconds: (performance.now() - startMs) / 1000,
      requestsPerSecond: answered - lastAnswered,
      errors,
    });
    lastAnswered = answered;
  };
  tick();
  const timer = setInterval(tick, 1000);
  timer.unref();
  return () => clearInterval(timer);
}
