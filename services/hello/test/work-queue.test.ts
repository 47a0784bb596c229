import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { type Outcome, WorkQueue } from '../src/work-queue.js';

const request = (destroyed = false) => ({ socket: { destroyed } }) as unknown as IncomingMessage;
const turn = () => new Promise((resolve) => setImmediate(resolve));
const drain = async (queue: WorkQueue) => {
  while (queue.length > 0) await turn();
};

/** A loop stand-in that keeps the thread busy for at least `ms` of wall time. */
const busyFor = (ms: number) => () => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};

/** A queue whose refusals are recorded: the wait each was told of, in order. */
function recorded(maxWaitMs = 0) {
  const outcomes: Outcome[] = [];
  const refusals: number[] = [];
  const queue = new WorkQueue(maxWaitMs, (_waitMs, outcome) => outcomes.push(outcome));
  const submit = (run: () => void, client = request()) =>
    queue.submit(client, run, (waitMs) => refusals.push(waitMs));
  return { queue, submit, outcomes, refusals };
}

describe('WorkQueue', () => {
  it('runs the loops in the order their requests came, one a turn of the event loop', async () => {
    const { queue, submit } = recorded();
    const ran: number[] = [];
    for (const n of [1, 2, 3]) submit(() => ran.push(n));
    // Nothing runs inside the read callback that queued it.
    expect(ran).toEqual([]);
    expect(queue.length).toBe(3);
    await turn();
    expect(ran).toEqual([1]);
    await turn();
    expect(ran).toEqual([1, 2]);
    await turn();
    expect(ran).toEqual([1, 2, 3]);
    expect(queue.length).toBe(0);
  });

  it('drops the request of a client that has gone, without running its loop', async () => {
    const { queue, submit, outcomes } = recorded();
    const ran: string[] = [];
    submit(() => ran.push('here'));
    submit(() => ran.push('gone'), request(true));
    submit(() => ran.push('here too'));
    await drain(queue);
    expect(ran).toEqual(['here', 'here too']);
    expect(queue.skipped).toBe(1);
    expect(outcomes).toEqual(['ran', 'skipped', 'ran']);
  });

  it('runs no loop in a turn that accepted a connection, so that the next one is accepted first', async () => {
    const { queue, submit } = recorded();
    const ran: number[] = [];
    for (const n of [1, 2]) submit(() => ran.push(n));
    queue.connectionAccepted();
    await turn();
    expect(ran).toEqual([]);
    await turn();
    expect(ran).toEqual([1]);
    queue.connectionAccepted();
    await turn();
    expect(ran).toEqual([1]);
    await turn();
    expect(ran).toEqual([1, 2]);
  });

  it('keeps its order over a long queue, past the compaction of its front', async () => {
    const { queue, submit } = recorded();
    const ran: number[] = [];
    const total = 3000;
    for (let n = 0; n < total; n++) submit(() => ran.push(n));
    await drain(queue);
    expect(ran).toEqual(Array.from({ length: total }, (_, n) => n));
    // And it goes on taking new work once empty.
    submit(() => ran.push(total));
    await turn();
    expect(ran.at(-1)).toBe(total);
  });
});

describe('WorkQueue: the wait a new request would have', () => {
  it('is nothing while the queue is empty, and its length times a turn once loops wait', async () => {
    const { queue, submit } = recorded();
    expect(queue.wouldWaitMs()).toBe(0);
    // The first loop gives a first estimate; loops run back to back refine it.
    for (let n = 0; n < 4; n++) submit(busyFor(5));
    await drain(queue);
    expect(queue.turnMs).toBeGreaterThanOrEqual(5);
    for (let n = 0; n < 3; n++) submit(busyFor(5));
    expect(queue.wouldWaitMs()).toBe(3 * queue.turnMs);
    await drain(queue);
  });

  it('does not count the idle time between requests as a turn', async () => {
    const { queue, submit } = recorded();
    for (let round = 0; round < 3; round++) {
      submit(() => undefined);
      await turn();
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    expect(queue.turnMs).toBeLessThan(30);
  });
});

describe('WorkQueue with a bound on the wait', () => {
  it('refuses on arrival what the queue ahead would keep waiting past the bound, and runs the rest', async () => {
    const { queue, submit, outcomes, refusals } = recorded(12);
    const ran: number[] = [];
    // A first loop of 5 ms measures a turn; then a queue of four such loops is 20 ms, past 12.
    submit(busyFor(5));
    await drain(queue);
    for (let n = 0; n < 6; n++) submit(() => ran.push(n));
    const admitted = ran.length + queue.length;
    expect(admitted).toBeLessThan(6);
    expect(refusals).toHaveLength(6 - admitted);
    for (const waitMs of refusals) expect(waitMs).toBeGreaterThan(12);
    expect(outcomes.filter((o) => o === 'refused-on-arrival')).toHaveLength(refusals.length);
    await drain(queue);
    // The admitted ones run in order; one may still be refused in its turn on a busy machine.
    const inTurn = outcomes.filter((o) => o === 'refused-in-turn').length;
    expect(ran).toEqual(Array.from({ length: admitted - inTurn }, (_, n) => n));
  });

  it('refuses in its turn, without its loop, a request that has waited past the bound', async () => {
    // No turn measured yet: a burst is admitted whole, and the loops take longer than expected.
    const { queue, submit, outcomes, refusals } = recorded(12);
    const ran: number[] = [];
    for (let n = 0; n < 6; n++)
      submit(() => {
        ran.push(n);
        busyFor(5)();
      });
    expect(queue.length).toBe(6);
    await drain(queue);
    // Each loop is at least 5 ms: the fourth request has waited 15 ms when its turn comes.
    expect(ran.length).toBeLessThanOrEqual(3);
    expect(ran).toEqual(Array.from({ length: ran.length }, (_, n) => n));
    expect(outcomes.filter((o) => o === 'refused-in-turn')).toHaveLength(6 - ran.length);
    expect(refusals).toHaveLength(6 - ran.length);
  });

  it('never refuses without a bound (0), however long the queue', async () => {
    const { queue, submit, refusals } = recorded(0);
    submit(busyFor(5));
    await drain(queue);
    for (let n = 0; n < 10; n++) submit(busyFor(2));
    await drain(queue);
    expect(refusals).toEqual([]);
  });

  it('tells its observer how long each request waited, and what became of it', async () => {
    const seen: Array<[number, Outcome]> = [];
    const queue = new WorkQueue(0, (waitMs, outcome) => seen.push([waitMs, outcome]));
    const refuse = () => undefined;
    queue.submit(request(), busyFor(5), refuse);
    queue.submit(request(true), () => undefined, refuse);
    queue.submit(request(), () => undefined, refuse);
    await drain(queue);
    expect(seen.map(([, outcome]) => outcome)).toEqual(['ran', 'skipped', 'ran']);
    // The third waited behind the first one's loop.
    expect(seen[2]?.[0]).toBeGreaterThanOrEqual(5);
  });
});
