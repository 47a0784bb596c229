// Virtual time for the open loop's tests: a clock that jumps from event to event, and a server of
// `servers` workers that take `serviceMs` per request in arrival order (a D/c queue), so that
// what the loop records can be worked out by hand.
import type { Answer, Clock, Transport } from '../../src/open-loop/open-loop.js';

export class VirtualClock implements Clock {
  private time = 0;
  private readonly events: { at: number; order: number; run: () => void }[] = [];
  private order = 0;

  now = (): number => this.time;

  /** Runs `run` at `at` of virtual time. */
  at(at: number, run: () => void): void {
    this.events.push({ at, order: this.order++, run });
    this.events.sort((a, b) => a.at - b.at || a.order - b.order);
  }

  async sleepUntil(ms: number): Promise<void> {
    while (this.events.length > 0 && (this.events[0]?.at ?? Infinity) <= ms) this.step();
    this.time = Math.max(this.time, ms);
  }

  /** Runs the events left, in time order, until `done` settles. */
  async settle<T>(done: Promise<T>): Promise<T> {
    let result: { value: T } | undefined;
    void done.then((value) => {
      result = { value };
    });
    for (;;) {
      // Let the loop under test run until it waits for an event: every microtask first.
      await new Promise((resolve) => setImmediate(resolve));
      if (result) return result.value;
      if (this.events.length === 0) throw new Error('nothing left to run, and the loop has not ended');
      this.step();
    }
  }

  private step(): void {
    const event = this.events.shift();
    if (!event) return;
    this.time = Math.max(this.time, event.at);
    event.run();
  }
}

export const OK: Answer = { status: 200, rawHeaders: ['x-hostname', 'web-1', 'x-version', '1'] };

/** `servers` workers, `serviceMs` each per request, first come first served. */
export function queueServer(clock: VirtualClock, servers: number, serviceMs: number): Transport {
  let busy = 0;
  const waiting: Parameters<Transport['send']>[0][] = [];
  const start = (handlers: Parameters<Transport['send']>[0]) => {
    busy += 1;
    handlers.sent();
    clock.at(clock.now() + serviceMs, () => {
      busy -= 1;
      handlers.answered(OK);
      const next = waiting.shift();
      if (next) start(next);
    });
  };
  return {
    send(handlers) {
      if (busy < servers) start(handlers);
      else waiting.push(handlers);
    },
  };
}

/** A seeded uniform generator (mulberry32): the same numbers on every run. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
