// The open loop as a bench phase: --rate requests per second on a fixed schedule (--arrivals),
// each answer counted by replica and version, its latency kept from the intended start and from
// the actual send.
import { performance } from 'node:perf_hooks';
import type { Counts, Measurement, Percentiles } from '../measurement.js';
import type { Options } from '../options.js';
import { tickProgress } from '../progress-ticker.js';
import { ReplicaTally } from '../replicas.js';
import type { RunHooks } from '../run.js';
import { IdentityReader, Tally } from '../tally.js';
import { Timeline } from '../timeline.js';
import { httpTransport, systemClock } from './http-transport.js';
import { type Plan, runOpenLoop } from './open-loop.js';

/** The nearest-rank percentile of sorted values; 0 when there are none. */
export const nearestRank = (sorted: Float64Array, q: number): number =>
  sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? 0;

/** Exact percentiles of the values (nearest rank); zeros when there are none. */
export function percentiles(values: Float64Array): Percentiles {
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => nearestRank(sorted, q);
  const ms = (value: number) => Math.round(value * 1000) / 1000;
  return {
    p50: ms(at(0.5)),
    p75: ms(at(0.75)),
    p90: ms(at(0.9)),
    p97_5: ms(at(0.975)),
    p99: ms(at(0.99)),
    p99_9: ms(at(0.999)),
    max: ms(sorted.length === 0 ? 0 : (sorted[sorted.length - 1] ?? 0)),
  };
}

/** A growing list of numbers. */
class Samples {
  private values = new Float64Array(1024);
  length = 0;
  sum = 0;
  push(value: number): void {
    if (this.length === this.values.length) {
      const bigger = new Float64Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.length++] = value;
    this.sum += value;
  }
  all(): Float64Array {
    return this.values.subarray(0, this.length);
  }
}

function plan(options: Options, phase: 'warm-up' | 'measure'): Plan {
  const rate = options.rate ?? 1;
  if (phase === 'warm-up')
    return { arrivals: options.arrivals, rate, durationMs: options.warmup * 1000, amount: null };
  return options.amount !== null
    ? { arrivals: options.arrivals, rate, durationMs: null, amount: options.amount }
    : { arrivals: options.arrivals, rate, durationMs: options.duration * 1000, amount: null };
}

/** The warm-up at the same rate and arrivals; its answers are left out. */
export async function warmUpOpenLoop(options: Options, hooks: RunHooks): Promise<void> {
  if (options.warmup <= 0) return;
  const transport = httpTransport(options.url, options.connections);
  let answered = 0;
  let errors = 0;
  const stopTicking = tickProgress('warm-up', hooks, () => ({ answered, errors }));
  try {
    await runOpenLoop(plan(options, 'warm-up'), systemClock, transport, {
      onAnswer: () => {
        answered += 1;
      },
      onFailure: () => {
        errors += 1;
      },
      signal: hooks.signal,
    });
  } finally {
    stopTicking();
    transport.close();
  }
}

export async function measureOpenLoop(options: Options, hooks: RunHooks): Promise<Measurement> {
  const transport = httpTransport(options.url, options.connections);
  const tally = new Tally();
  const replicas = new ReplicaTally(true);
  const identities = new IdentityReader();
  const startedAt = new Date();
  const startMs = performance.now();
  const timeline = new Timeline(startMs);
  const fromIntended = new Samples();
  const fromSent = new Samples();
  const statusCodes: Record<string, number> = {};
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  let timeouts = 0;
  let inFlight = 0;
  let peakInFlight = 0;
  const cpuAtStart = process.cpuUsage();

  hooks.onMeasureStart?.(startedAt);
  const stopTicking = tickProgress(
    'measure',
    hooks,
    () => ({ answered: tally.count, errors: errors + timeouts }),
    startMs,
  );
  const counting = {
    send: (handlers: Parameters<typeof transport.send>[0]) => {
      inFlight += 1;
      if (inFlight > peakInFlight) peakInFlight = inFlight;
      transport.send(handlers);
    },
  };
  let summary: Awaited<ReturnType<typeof runOpenLoop>>;
  try {
    summary = await runOpenLoop(plan(options, 'measure'), systemClock, counting, {
      onAnswer: (times, answer) => {
        inFlight -= 1;
        const latencyMs = times.doneMs - times.intendedMs;
        const identity = identities.read(answer.rawHeaders);
        const sentLatencyMs = times.doneMs - times.sentMs;
        fromIntended.push(latencyMs);
        fromSent.push(sentLatencyMs);
        tally.add(identity, latencyMs);
        replicas.add(identity.hostname, answer.status, latencyMs, sentLatencyMs);
        timeline.addResponse(times.doneMs, answer.status, identity, latencyMs);
        statusCodes[answer.status] = (statusCodes[answer.status] ?? 0) + 1;
        if (answer.status >= 200 && answer.status < 300) ok += 1;
        else non2xx += 1;
      },
      onFailure: (times, timedOut) => {
        inFlight -= 1;
        if (timedOut) timeouts += 1;
        else errors += 1;
        timeline.addError(times.doneMs);
      },
      signal: hooks.signal,
    });
  } finally {
    stopTicking();
    transport.close();
  }
  const finishMs = performance.now();
  const counts: Counts = {
    ok,
    non2xx,
    errors,
    timeouts,
    sent: summary.scheduled,
    connections: Math.min(options.connections, peakInFlight),
    statusCodes,
    latency: percentiles(fromIntended.all()),
  };
  return {
    counts,
    openLoop: {
      arrivals: options.arrivals,
      rate: options.rate ?? 0,
      scheduled: summary.scheduled,
      late: summary.late,
      maxLagMs: Math.round(summary.maxLagMs * 1000) / 1000,
      sentLatencyMs: {
        mean: fromSent.length === 0 ? null : Math.round((fromSent.sum / fromSent.length) * 1000) / 1000,
        ...percentiles(fromSent.all()),
      },
    },
    tally,
    replicas,
    timeline,
    startedAt,
    startMs,
    endMs: summary.endMs,
    finishMs,
    cpu: process.cpuUsage(cpuAtStart),
    interrupted: hooks.signal?.aborted ?? false,
  };
}
