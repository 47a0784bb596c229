import { connect } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { BASE_URL, containerIds, type DockerInspect, inspect, PORT } from './lab.js';

/** Sends raw bytes to nginx and returns the status line and headers of its answer. */
function rawRequest(bytes: string | Buffer): Promise<{ status: number; head: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(PORT, '127.0.0.1');
    let received = '';
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer within 10 s')));
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      const end = received.indexOf('\r\n\r\n');
      if (end >= 0) {
        socket.destroy();
        resolve({ status: Number(received.split(' ')[1]), head: received.slice(0, end) });
      }
    });
    socket.on('error', reject);
    socket.write(bytes);
  });
}

const restarts = async () =>
  (await inspect(await containerIds('hello'))).map((c: DockerInspect) => ({
    id: c.Id,
    restarts: c.RestartCount,
    startedAt: c.State.StartedAt,
  }));

describe('bad requests through nginx', () => {
  let before: Awaited<ReturnType<typeof restarts>>;
  beforeAll(async () => {
    before = await restarts();
    expect(before.length).toBeGreaterThan(0);
  });

  it('answers an unknown path with 404 JSON from a replica', async () => {
    const res = await fetch(`${BASE_URL}/no/such/path`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ statusCode: 404, error: 'Not Found' });
    expect(res.headers.get('x-hostname')).toBeTruthy();
    expect(res.headers.get('x-upstream')).toMatch(/:8080$/);
  });

  it('answers POST / with 405 from a replica, sent once (not retried)', async () => {
    const res = await fetch(`${BASE_URL}/`, { method: 'POST', body: 'x=1' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    expect(res.headers.get('x-upstream')).toMatch(/^[\d.]+:8080$/);
  });

  it('refuses a 2 MB body with 413 from nginx, before it reaches a replica', async () => {
    const { status, head } = await rawRequest(
      `POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nContent-Length: ${2 * 1024 * 1024}\r\n\r\n${'x'.repeat(1024)}`,
    );
    expect(status).toBe(413);
    expect(head).toMatch(/\r\nX-Upstream: none/i);
  });

  it('refuses a 64 KB header with 400 from nginx', async () => {
    const { status, head } = await rawRequest(
      `GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`,
    );
    expect(status).toBe(400);
    expect(head).toMatch(/\r\nX-Upstream: none/i);
  });

  it('refuses a garbage request line with 400 from nginx', async () => {
    const { status } = await rawRequest(Buffer.from('\x16\x03\x01 GARBAGE \xff\xfe\r\n\r\n', 'latin1'));
    expect(status).toBe(400);
  });

  it('answers HEAD and still serves normally afterwards, with no replica restarted', async () => {
    const head = await fetch(`${BASE_URL}/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect((await fetch(`${BASE_URL}/`)).status).toBe(200);
    expect(await restarts()).toEqual(before);
  });
});
