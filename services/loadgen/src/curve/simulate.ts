// The queueing curve's theory: a small simulation of the lab as it is built. nginx deals the
// requests out in turn (round robin), so each replica has a queue of its own rather than one
// shared by all as in M/D/c; each replica runs one request at a time for a fixed CPU time S; and
// replicas beyond the free cores share them, each busy one running at cores / busy of a core,
// which no textbook queue has. Simulated in small steps of time, it gives percentiles, not only
// a mean.
import { type Arrivals, arrivalTimes, type Uniform } from '../open-loop/arrivals.js';
import { nearestRank } from '../open-loop/measure.js';

export interface LabShape {
  replicas: number;
  /** Cores free for the replicas: the machine's, less the proxy's, the load generator's and other work's. */
  cores: number;
  /** CPU time per request, in ms. */
  serviceMs: number;
}

export interface SimulatedLatency {
  p50: number;
  p99: number;
  mean: number;
}

/**
 * The latency, in ms, of `count` requests arriving at `rate` per second, dealt round robin to the
 * replicas. Steps of a fiftieth of S: the figures are exact to about that.
 */
export function simulateLatency(
  shape: LabShape,
  arrivals: Arrivals,
  rate: number,
  count: number,
  random: Uniform = Math.random,
): SimulatedLatency {
  // No free core or no service time: no request would ever finish.
  if (!(shape.cores > 0) || !(shape.serviceMs > 0) || !(shape.replicas >= 1))
    throw new RangeError('the simulation needs cores > 0, serviceMs > 0 and at least one replica');
  const stepMs = shape.serviceMs / 50;
  const queues: { arrivedMs: number; leftMs: number }[][] = Array.from({ length: shape.replicas }, () => []);
  const latencies = new Float64Array(count);
  const times = arrivalTimes(arrivals, rate, random);
  let nextArrival = times.next().value as number;
  let arrived = 0;
  let done = 0;
  let next = 0;
  for (let now = 0; done < count; now += stepMs) {
    while (arrived < count && nextArrival <= now) {
      queues[next]?.push({ arrivedMs: nextArrival, leftMs: shape.serviceMs });
      next = (next + 1) % shape.replicas;
      arrived += 1;
      nextArrival = times.next().value as number;
    }
    let busy = 0;
    for (const queue of queues) if (queue.length > 0) busy += 1;
    if (busy === 0) continue;
    const speed = Math.min(1, shape.cores / busy);
    for (const queue of queues) {
      const head = queue[0];
      if (!head) continue;
      head.leftMs -= speed * stepMs;
      if (head.leftMs <= 1e-9) {
        latencies[done++] = now + stepMs - head.arrivedMs;
        queue.shift();
      }
    }
  }
  const sorted = latencies.sort();
  const mean = sorted.reduce((sum, value) => sum + value, 0) / count;
  return { p50: nearestRank(sorted, 0.5), p99: nearestRank(sorted, 0.99), mean };
}
