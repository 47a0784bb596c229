import type { IncomingMessage } from 'node:http';
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
