import type { IncomingMessage } from 'node:http';

/** One request's busy loop, waiting its turn, and the connection its answer goes out on. */
interface Job {
  request: IncomingMessage;
  run: () => void;
}

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
 */
export class WorkQueue {
  #jobs: Job[] = [];
  #head = 0;
  #scheduled = false;
  /** Requests dropped because their connection had closed before their turn came. */
  skipped = 0;

  /** Requests waiting for their turn. */
  get length(): number {
    return this.#jobs.length - this.#head;
  }

  push(request: IncomingMessage, run: () => void): void {
    this.#jobs.push({ request, run });
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
    if (this.length > 0) {
      this.#scheduled = true;
      setImmediate(this.#next);
    }
    if (job.request.socket?.destroyed) this.skipped += 1;
    else job.run();
  };
}
