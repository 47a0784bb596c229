import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';

/** One request's busy loop, waiting its turn, and the connection its answer goes out on. */
interface Job {
  request: IncomingMessage;
  run: () => void;
  /** performance.now() when it was queued. */
  queuedAt: number;
}

/** What the queue reports for each request it takes off: how long it waited, and whether it ran. */
export type QueueObserver = (waitMs: number, ran: boolean) => void;

/**
 * How much a new turn's measure moves the estimate of a turn's length: about the last 20 turns
 * count, a tenth of a second of loops, so the estimate follows a replica made slow within a
 * moment and one long turn (a GC, a core taken away) moves it little.
 */
const TURN_WEIGHT = 0.05;

/**
 * The busy loops, run one per turn of the event loop, in the order their requests came.
 *
 * Run inside the read callback, as a plain handler would, one turn of the event loop runs the loop
 * of every request read in it: with 300 busy connections, about a second a turn. Since libuv 1.45
 * a listening socket accepts one connection a turn, so under load new connections waited many
 * seconds to be accepted at all (docs/performance.md, "Why Node accepts so slowly"). Here the
 * handler only queues; each turn runs one loop, then polls again, accepting and reading between
 * loops. The loops cost the same; a new connection waits only for the queue ahead of it.
 *
 * Between loops the event loop also sees the connections that closed, so the request of a client
 * that has gone (a proxy that timed out, a load generator that stopped) is dropped unanswered
 * instead of costing a loop for nobody.
 *
 * The queue also knows how long a request that comes now would wait: the requests ahead of it
 * times the length of a turn, measured between loops that ran back to back. That is what a
 * refusal is decided on (`wouldWaitMs`), because a wait, unlike a count, means the same for a
 * replica made slow, on a slower machine or with more replicas sharing the cores.
 */
export class WorkQueue {
  #jobs: Job[] = [];
  #head = 0;
  #scheduled = false;
  /** When the last loop started, if the queue had more waiting then; else NaN. */
  #lastStart = Number.NaN;
  /** The estimated length of one turn, in ms; 0 until a turn has been measured. */
  turnMs = 0;
  /** Requests dropped because their connection had closed before their turn came. */
  skipped = 0;

  constructor(private readonly observe: QueueObserver = () => undefined) {}

  /** Requests waiting for their turn. */
  get length(): number {
    return this.#jobs.length - this.#head;
  }

  /** How long, in ms, a request queued now would wait before its loop starts. */
  wouldWaitMs(): number {
    return this.length * this.turnMs;
  }

  push(request: IncomingMessage, run: () => void): void {
    this.#jobs.push({ request, run, queuedAt: performance.now() });
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#next);
    }
  }

  readonly #next = (): void => {
    this.#scheduled = false;
    const job = this.#jobs[this.#head];
    if (job === undefined) return;
    this.#jobs[this.#head] = undefined as unknown as Job;
    this.#head += 1;
    // Taken from the front without shifting the array on every turn; compacted once half is spent.
    if (this.#head > 1024 && this.#head * 2 > this.#jobs.length) {
      this.#jobs = this.#jobs.slice(this.#head);
      this.#head = 0;
    }
    const now = performance.now();
    const ran = !job.request.socket?.destroyed;
    if (ran) this.#measureTurn(now);
    if (this.length > 0) {
      this.#scheduled = true;
      setImmediate(this.#next);
    }
    this.observe(now - job.queuedAt, ran);
    if (ran) {
      job.run();
      // The first loop gives the first estimate, so the very first burst is bounded too.
      if (this.turnMs === 0) this.turnMs = performance.now() - now;
      return;
    }
    this.skipped += 1;
    // The queue ran dry on a skip: whatever comes next comes after a gap, not back to back.
    if (this.length === 0) this.#lastStart = Number.NaN;
  };

  /**
   * A turn is measured only from a loop that started while others waited to the next one: an
   * idle gap between requests is no part of a turn. Skipped requests run nothing, so they neither
   * start nor end a measure.
   */
  #measureTurn(now: number): void {
    if (!Number.isNaN(this.#lastStart)) {
      const turn = now - this.#lastStart;
      this.turnMs = this.turnMs === 0 ? turn : this.turnMs + TURN_WEIGHT * (turn - this.turnMs);
    }
    this.#lastStart = this.length > 0 ? now : Number.NaN;
  }
}
