import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';

/** What the queue calls to refuse a request, with how long the queue ahead would now take. */
export type Refuse = (waitMs: number) => void;

/** One request's busy loop, waiting its turn, and the connection its answer goes out on. */
interface Job {
  request: IncomingMessage;
  run: () => void;
  refuse: Refuse;
  /** performance.now() when it was queued. */
  queuedAt: number;
}

/** What became of a request the queue took: run, dropped (its client had gone) or refused. */
export type Outcome = 'ran' | 'skipped' | 'refused-on-arrival' | 'refused-in-turn';

/** What the queue reports for each request: how long it waited (0 if refused on arrival), and its outcome. */
export type QueueObserver = (waitMs: number, outcome: Outcome) => void;

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
 * With a bound (`maxWaitMs`), no request waits longer than it for its loop. One that comes when the
 * queue ahead would take longer is refused at once; the queue's wait is the requests ahead times
 * the length of a turn, measured between loops that ran back to back. A wait, unlike a count,
 * means the same for a replica made slow, on a slower machine or with more replicas sharing the
 * cores. The estimate follows the past, and a sudden burst is admitted on the turns measured
 * before it, which the load itself then lengthens (three replicas on two cores: from 3 to 8 ms).
 * So a request whose turn comes after more than the bound is refused then, without its loop: an
 * answer within the bound either way, never one that a proxy has stopped waiting for.
 */
export class WorkQueue {
  #jobs: Job[] = [];
  #head = 0;
  #scheduled = false;
  /** Whether the server accepted a connection since the last turn. */
  #accepted = false;
  /** When the last loop started, if the queue had more waiting then; else NaN. */
  #lastStart = Number.NaN;
  /** The estimated length of one turn, in ms; 0 until a turn has been measured. */
  turnMs = 0;
  /** Requests dropped because their connection had closed before their turn came. */
  skipped = 0;

  /** `maxWaitMs` 0 sets no bound: every request waits for its turn, however long. */
  constructor(
    readonly maxWaitMs = 0,
    private readonly observe: QueueObserver = () => undefined,
  ) {}

  /** Requests waiting for their turn. */
  get length(): number {
    return this.#jobs.length - this.#head;
  }

  /** How long, in ms, a request queued now would wait before its loop starts. */
  wouldWaitMs(): number {
    return this.length * this.turnMs;
  }

  /** Queues a request's loop, or refuses the request at once if the queue ahead is too long. */
  submit(request: IncomingMessage, run: () => void, refuse: Refuse): void {
    const waitMs = this.wouldWaitMs();
    if (this.maxWaitMs > 0 && waitMs > this.maxWaitMs) {
      this.observe(0, 'refused-on-arrival');
      refuse(waitMs);
      return;
    }
    this.#jobs.push({ request, run, refuse, queuedAt: performance.now() });
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#next);
    }
  }

  /**
   * Called for each connection the server accepts. libuv accepts one connection a turn, so a loop
   * run in every turn lets connections in at one a loop: with loops of 60 ms (a replica made slow)
   * nginx's new connections waited in the kernel's backlog for tens of seconds, unseen by this
   * queue and its bound, until nginx gave up on them and sent them to another replica. A turn
   * that accepted a connection therefore runs no loop: the next turn polls again at once, and the
   * loops go on once the backlog is empty, with every waiting request read and queued (or refused).
   */
  connectionAccepted(): void {
    this.#accepted = true;
  }

  readonly #next = (): void => {
    this.#scheduled = false;
    if (this.#accepted) {
      this.#accepted = false;
      if (this.length > 0) {
        this.#scheduled = true;
        setImmediate(this.#next);
      }
      return;
    }
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
    const waitMs = now - job.queuedAt;
    const outcome: Outcome = job.request.socket?.destroyed
      ? 'skipped'
      : this.maxWaitMs > 0 && waitMs > this.maxWaitMs
        ? 'refused-in-turn'
        : 'ran';
    if (outcome === 'ran') this.#measureTurn(now);
    // Whatever comes next after the queue ran dry on a skip or a refusal comes after a gap.
    else if (this.length === 0) this.#lastStart = Number.NaN;
    if (this.length > 0) {
      this.#scheduled = true;
      setImmediate(this.#next);
    }
    this.observe(waitMs, outcome);
    if (outcome === 'skipped') this.skipped += 1;
    else if (outcome === 'refused-in-turn') job.refuse(this.wouldWaitMs());
    else {
      job.run();
      // The first loop gives the first estimate, so that the first burst is bounded too.
      if (this.turnMs === 0) this.turnMs = performance.now() - now;
    }
  };

  /**
   * A turn is measured only from a loop that started while others waited to the next one: an
   * idle gap between requests is no part of a turn. Skipped and refused requests run nothing, so
   * they neither start nor end a measure.
   */
  #measureTurn(now: number): void {
    if (!Number.isNaN(this.#lastStart)) {
      const turn = now - this.#lastStart;
      this.turnMs = this.turnMs === 0 ? turn : this.turnMs + TURN_WEIGHT * (turn - this.turnMs);
    }
    this.#lastStart = this.length > 0 ? now : Number.NaN;
  }
}
