import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latency, ResponseReader, requestBytes } from '../src/probe/probe.js';

const answer = (body: string, extra = '') =>
  `HTTP/1.1 200 OK\r\nX-Hostname: r1\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`;

describe('ResponseReader', () => {
  it.each<[string, string[], number]>([
    ['one answer in one chunk', [answer('hello')], 1],
    ['an answer split inside its head', [answer('hello').slice(0, 10), answer('hello').slice(10)], 1],
    ['an answer split inside its body', [answer('hello').slice(0, -2), answer('hello').slice(-2)], 1],
    ['two answers in one chunk', [answer('a') + answer('bb')], 2],
    ['an answer and a half', [answer('a') + answer('bb').slice(0, 20)], 1],
    ['an empty body', [answer('')], 1],
  ])('reads %s', (_, chunks, count) => {
    const reader = new ResponseReader();
    const read = chunks.flatMap((chunk) => reader.push(Buffer.from(chunk)));
    expect(read).toHaveLength(count);
    expect(read[0]).toMatchObject({ status: 200, headers: { 'x-hostname': 'r1' } });
  });

  it('reads UTF-8 bodies by their byte length', () => {
    const [read] = new ResponseReader().push(Buffer.from(answer('héllo ✓')));
    expect(read?.body).toBe('héllo ✓');
  });

  it('refuses chunked answers and what is not HTTP/1.1', () => {
    expect(() =>
      new ResponseReader().push(Buffer.from(answer('', 'Transfer-Encoding: chunked\r\n'))),
    ).toThrow(/chunked/);
    expect(() => new ResponseReader().push(Buffer.from('SSH-2.0-OpenSSH\r\n\r\n'))).toThrow(/not an HTTP/);
  });
});

describe('requestBytes', () => {
  it.each([
    ['http://nginx:8080/', 'GET / HTTP/1.1\r\nHost: nginx:8080\r\n\r\n'],
    ['http://172.18.0.4:8080/metrics?x=1', 'GET /metrics?x=1 HTTP/1.1\r\nHost: 172.18.0.4:8080\r\n\r\n'],
  ])('%s', (url, bytes) => {
    expect(requestBytes(new URL(url)).toString('latin1')).toBe(bytes);
  });
});

describe('latency', () => {
  let server: Server;
  let url: URL;
  let accepted = 0;

  beforeAll(async () => {
    // Closes each connection after three answers, and says so in the third, as nginx does after
    // keepalive_requests answers.
    server = createServer((_req, res) => {
      res.setHeader('content-type', 'text/plain');
      res.end('ok');
    });
    server.maxRequestsPerSocket = 3;
    server.on('connection', () => {
      accepted += 1;
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('opens a new connection when the server closes one as it said, and times every answer', async () => {
    accepted = 0;
    // Two seconds: enough for a reconnect on each connection even on a machine that is busy.
    const result = await latency(url, 2, 2, 0);
    expect(result.errors).toBe(0);
    expect(result.requests).toBeGreaterThanOrEqual(9);
    expect(result.latenciesUs).toHaveLength(result.requests);
    // Three answers per connection: every connection after each loop's first is a reconnect.
    expect(result.reconnects).toBe(accepted - 2);
    expect(result.reconnects).toBeGreaterThanOrEqual(Math.floor(result.requests / 3) - 2);
  });
});
