import { describe, expect, it } from 'vitest';
import { ResponseReader, requestBytes } from '../src/probe/probe.js';

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
