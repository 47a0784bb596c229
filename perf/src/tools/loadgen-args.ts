/**
 * One run of the lab's load generator, as its flags: the measurements in the driver and the one on
 * the host build them here, so that a flag is spelled in one place.
 */
export interface LoadgenRun {
  url: string;
  connections: number;
  /** Seconds of load after the warm-up; a count of requests sets the length instead (`amount`). */
  duration?: number;
  amount?: number;
  warmup: number;
  /** The machine's cores, for the load generator's model (it sees no container's CPU quota). */
  cores?: number;
  /** An open loop: requests per second, and how they arrive. */
  rate?: number;
  arrivals?: 'constant' | 'poisson';
}

export function loadgenArgs(run: LoadgenRun): string[] {
  return Object.entries(run).flatMap(([flag, value]) =>
    value === undefined ? [] : [`--${flag}`, String(value)],
  );
}
