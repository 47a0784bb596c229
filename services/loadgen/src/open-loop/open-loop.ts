// The open loop: requests sent on a schedule fixed in advance, whatever the answers do. Each
// request keeps the time it was meant to leave beside the time it really left, so a latency can
// be counted from either; counted from the intended time, a wait the client could not send
// through (coordinated omission) stays in the figures.
import { type Arrivals, arrivalTimes, type Uniform } from './arrivals.js';

/** A monotonic clock in milliseconds, and a way to wait on it. */
export interface Clock {
  now(): number;
  /** Resolves at or after `ms` of now(). */
  sleepUntil(ms: number): Promise<void>;
}

/** What came back for one request. */
export interface Answer {
  status: number;
  rawHeaders: string[];
}

/** One request's times on the clock. */
export interface RequestTimes {
  /** When the schedule meant to send it. */
  intendedMs: number;
  /** When it left: later than intended when every connection was busy or the process was. */
  sentMs: number;
  /** When its answer was complete, or it failed. */
  doneMs: number;
}

/** Sends one request and says when it left and how it ended (exactly one of answered, failed). */
export interface Transport {
  send(handlers: { sent(): void; answered(answer: Answer): void; failed(timedOut: boolean): void }): void;
}

export interface Plan {
  arrivals: Arrivals;
  /** Requests per second. */
  rate: number;
  /** How long the schedule runs, in ms; null when `amount` ends it. */
  durationMs: number | null;
  /** How many requests the schedule holds; null when `durationMs` ends it. */
  amount: number | null;
  random?: Uniform;
}

export interface Hooks {
  onAnswer?(times: RequestTimes, answer: Answer): void;
  onFailure?(times: RequestTimes, timedOut: boolean): void;
  /** Stops the schedule; what was sent is still waited for. */
  signal?: AbortSignal;
}

/** A send more than this after its intended time counts as late (timers are not exact). */
export const LATE_AFTER_MS = 1;

export interface Summary {
  /** Start of the schedule on the clock. */
  startMs: number;
  /** When the last request ended. */
  endMs: number;
  /** Requests the schedule started: each one is answered, failed or timed out. */
  scheduled: number;
  /** Of those, the ones that left more than LATE_AFTER_MS after their intended time. */
  late: number;
  /** The largest delay between a request's intended and actual send. */
  maxLagMs: number;
}

/** Runs the schedule to its end, then waits for every request it sent to end. */
export async function runOpenLoop(
  plan: Plan,
  clock: Clock,
  transport: Transport,
  hooks: Hooks = {},
): Promise<Summary> {
  const startMs = clock.now();
  let scheduled = 0;
  let late = 0;
  let maxLagMs = 0;
  let inFlight = 0;
  let endMs = startMs;
  let idle: (() => void) | undefined;

  const finish = () => {
    endMs = Math.max(endMs, clock.now());
    inFlight -= 1;
    if (inFlight === 0) idle?.();
  };

  for (const at of arrivalTimes(plan.arrivals, plan.rate, plan.random)) {
    if (plan.durationMs !== null && at >= plan.durationMs) break;
    if (plan.amount !== null && scheduled >= plan.amount) break;
    const intendedMs = startMs + at;
    if (clock.now() < intendedMs) await clock.sleepUntil(intendedMs);
    if (hooks.signal?.aborted) break;
    scheduled += 1;
    inFlight += 1;
    const times: RequestTimes = { intendedMs, sentMs: Number.NaN, doneMs: Number.NaN };
    transport.send({
      sent() {
        times.sentMs = clock.now();
        const lag = times.sentMs - intendedMs;
        if (lag > LATE_AFTER_MS) late += 1;
        if (lag > maxLagMs) maxLagMs = lag;
      },
      answered(answer) {
        times.doneMs = clock.now();
        finish();
        hooks.onAnswer?.(times, answer);
      },
      failed(timedOut) {
        times.doneMs = clock.now();
        finish();
        hooks.onFailure?.(times, timedOut);
      },
    });
  }
  if (inFlight > 0) await new Promise<void>((resolve) => (idle = resolve));
  return { startMs, endMs, scheduled, late, maxLagMs };
}
