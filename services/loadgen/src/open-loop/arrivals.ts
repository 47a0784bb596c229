// When an open loop means to send each request: the schedule is fixed before the run, so a slow
// answer never delays the next send, as it would in a closed loop.

/** `constant`: evenly spaced; `poisson`: independent arrivals, exponential gaps of the same mean. */
export type Arrivals = 'constant' | 'poisson';

export const ARRIVALS: readonly Arrivals[] = ['constant', 'poisson'];

/** Uniform numbers in [0, 1): Math.random, or a seeded generator in tests. */
export type Uniform = () => number;

/**
 * The intended send times, in milliseconds from the start, of `rate` requests per second, without
 * end. Constant times are computed from their index, so that no rounding error builds up.
 */
export function* arrivalTimes(
  arrivals: Arrivals,
  rate: number,
  random: Uniform = Math.random,
): Generator<number> {
  const meanGapMs = 1000 / rate;
  if (arrivals === 'constant') {
    for (let i = 0; ; i++) yield i * meanGapMs;
  }
  let at = 0;
  for (;;) {
    yield at;
    // 1 - random() is in (0, 1]: the logarithm stays finite.
    at += -Math.log(1 - random()) * meanGapMs;
  }
}
