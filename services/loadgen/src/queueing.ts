// Queueing theory for the open loop: how long a request should wait for a free replica when
// requests arrive at a rate below capacity.

/** The servers of the queue the lab makes: min(replicas, free cores), whole, at least one. */
export const queueServers = (replicas: number, freeCores: number): number =>
  Math.max(1, Math.round(Math.min(replicas, freeCores)));

/**
 * Erlang's C formula: the chance that an arrival finds all `servers` busy, at offered load
 * `load` = arrival rate x service time (in servers), for Poisson arrivals and exponential service.
 */
export function erlangC(servers: number, load: number): number {
  if (load >= servers) return 1;
  // The Erlang B recursion, stable for any number of servers; C follows from B.
  let blocking = 1;
  for (let k = 1; k <= servers; k++) blocking = (load * blocking) / (k + load * blocking);
  const utilisation = load / servers;
  return blocking / (1 - utilisation * (1 - blocking));
}

/**
 * The mean wait before service, in ms, of an M/D/c queue: Poisson arrivals at `rate` per second,
 * a fixed service time of `serviceMs`, `servers` servers. It takes half the M/M/c wait, the
 * classic approximation for a fixed service time (exact for one server: Pollaczek-Khinchine).
 * Constant arrivals below capacity (D/D/c) never wait: 0.
 */
export function meanWaitMs(
  arrivals: 'constant' | 'poisson',
  rate: number,
  serviceMs: number,
  servers: number,
): number {
  const load = (rate * serviceMs) / 1000;
  if (load >= servers) return Number.POSITIVE_INFINITY;
  if (arrivals === 'constant') return 0;
  const capacityRps = (servers * 1000) / serviceMs;
  const mmcWaitMs = (erlangC(servers, load) / (capacityRps - rate)) * 1000;
  return mmcWaitMs / 2;
}
