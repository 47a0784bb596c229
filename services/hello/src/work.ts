import { performance } from 'node:perf_hooks';

/**
 * The seed's busy loop. The running XOR is written to a module variable, an effect no compiler
 * may drop, so every iteration really runs and the cost grows linearly with `iterations`.
 */
let sink = 0;

export function spin(iterations: number): number {
  let acc = 0;
  for (let i = iterations; i > 0; i--) acc ^= i;
  sink = acc;
  return sink;
}

/** Runs the loop and returns how long it took, in milliseconds. */
export function timedSpin(iterations: number): number {
  const start = performance.now();
  spin(iterations);
  return performance.now() - start;
}
