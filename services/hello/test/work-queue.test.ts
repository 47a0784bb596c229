import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { WorkQueue } from '../src/work-queue.js';

const request = (destroyed = false) => ({ socket: { destroyed } }) as unknown as IncomingMessage;
const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('WorkQueue', () => {
  it('runs the loops in the order their requests came, one a turn of the event loop', async () => {
    const queue = new WorkQueue();
    const ran: number[] = [];
    for (const n of [1, 2, 3]) queue.push(request(), () => ran.push(n));
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
    const queue = new WorkQueue();
    const ran: string[] = [];
    queue.push(request(), () => ran.push('here'));
    queue.push(request(true), () => ran.push('gone'));
    queue.push(request(), () => ran.push('here too'));
    for (let i = 0; i < 3; i++) await turn();
    expect(ran).toEqual(['here', 'here too']);
    expect(queue.skipped).toBe(1);
  });

  it('keeps its order over a long queue, past the compaction of its front', async () => {
    const queue = new WorkQueue();
    const ran: number[] = [];
    const total = 3000;
    for (let n = 0; n < total; n++) queue.push(request(), () => ran.push(n));
    while (queue.length > 0) await turn();
    expect(ran).toEqual(Array.from({ length: total }, (_, n) => n));
    // And it goes on taking new work once empty.
    queue.push(request(), () => ran.push(total));
    await turn();
    expect(ran.at(-1)).toBe(total);
  });
});

/** A loop stand-in that keeps the thread busy for at least `ms` of wall time. */
const busyFor = (ms: number) => () => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};

describe('WorkQueue: the wait a new request would have', () => {
  it('is nothing while the queue is empty, and its length times a turn once loops wait', async () => {
    const queue = new WorkQueue();
    expect(queue.wouldWaitMs()).toBe(0);
    // The first loop gives a first estimate; loops run back to back refine it.
    for (let n = 0; n < 4; n++) queue.push(request(), busyFor(5));
    while (queue.length > 0) await turn();
    expect(queue.turnMs).toBeGreaterThanOrEqual(5);
    for (let n = 0; n < 3; n++) queue.push(request(), busyFor(5));
    expect(queue.wouldWaitMs()).toBe(3 * queue.turnMs);
    while (queue.length > 0) await turn();
  });

  it('does not count the idle time between requests as a turn', async () => {
    const queue = new WorkQueue();
    for (let round = 0; round < 3; round++) {
      queue.push(request(), () => undefined);
      await turn();
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    expect(queue.turnMs).toBeLessThan(30);
  });

  it('tells its observer how long each request waited, and which were skipped', async () => {
    const seen: Array<[number, boolean]> = [];
    const queue = new WorkQueue((waitMs, ran) => seen.push([waitMs, ran]));
    queue.push(request(), busyFor(5));
    queue.push(request(true), () => undefined);
    queue.push(request(), () => undefined);
    while (queue.length > 0) await turn();
    expect(seen.map(([, ran]) => ran)).toEqual([true, false, true]);
    // The third waited behind the first one's loop.
    expect(seen[2]?.[0]).toBeGreaterThanOrEqual(5);
  });
});
