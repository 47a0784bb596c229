// The transport against a real local server: a request that finds every connection busy leaves
// only once one frees up, and its "sent" says so.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpTransport, systemClock } from '../../src/open-loop/http-transport.js';
import type { Answer } from '../../src/open-loop/open-loop.js';

let server: Server;
let url: string;
const held: (() => void)[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    const answer = () => response.setHeader('x-hostname', 'web-1').end('ok');
    if (request.url === '/hold') held.push(answer);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

interface Seen {
  sent?: number;
  answered?: number;
  answer?: Answer;
}

function send(transport: ReturnType<typeof httpTransport>, log: string[], name: string): Promise<Seen> {
  const seen: Seen = {};
  return new Promise((resolve, reject) => {
    transport.send({
      sent: () => {
        seen.sent = systemClock.now();
        log.push(`${name} sent`);
      },
      answered: (answer) => {
        seen.answered = systemClock.now();
        seen.answer = answer;
        log.push(`${name} answered`);
        resolve(seen);
      },
      failed: () => reject(new Error(`${name} failed`)),
    });
  });
}

describe('httpTransport', () => {
  it('answers with the status and raw headers', async () => {
    const transport = httpTransport(`${url}/`, 2);
    try {
      const { answer } = await send(transport, [], 'one');
      expect(answer?.status).toBe(200);
      expect(answer?.rawHeaders).toContain('web-1');
    } finally {
      transport.close();
    }
  });

  it('sends a request on one connection only once the answer before it is in', async () => {
    const transport = httpTransport(`${url}/hold`, 1);
    const log: string[] = [];
    try {
      const first = send(transport, log, 'first');
      const second = send(transport, log, 'second');
      // Let the first reach the server; the second waits for the only connection.
      while (held.length === 0) await new Promise((resolve) => setImmediate(resolve));
      expect(log).toEqual(['first sent']);
      held.shift()?.();
      await first;
      while (held.length === 0) await new Promise((resolve) => setImmediate(resolve));
      held.shift()?.();
      const [a, b] = await Promise.all([first, second]);
      expect(log).toEqual(['first sent', 'first answered', 'second sent', 'second answered']);
      expect(b.sent).toBeGreaterThanOrEqual(a.answered ?? Infinity);
    } finally {
      transport.close();
    }
  });

  it('fails a request to an address where nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const transport = httpTransport(`http://127.0.0.1:${port}/`, 1);
    try {
      await expect(send(transport, [], 'lost')).rejects.toThrow('lost failed');
    } finally {
      transport.close();
    }
  });
});

describe('systemClock', () => {
  it('never wakes before the time it was asked for', async () => {
    // Times a fraction of a millisecond apart, where a timer's whole milliseconds fire early.
    for (let i = 0; i < 200; i++) {
      const due = systemClock.now() + (i % 40) / 10;
      await systemClock.sleepUntil(due);
      expect(systemClock.now()).toBeGreaterThanOrEqual(due);
    }
  });
});
