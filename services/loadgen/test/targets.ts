// Real targets for the integration tests, on loopback only. Every start is torn down by stopAll().
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

const HELLO = fileURLToPath(new URL('../../hello/dist/server.js', import.meta.url));
const children: ChildProcess[] = [];
const servers: Server[] = [];

/** Kills every hello process and closes every test server started so far. */
export async function stopAll(): Promise<void> {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  await Promise.all(
    servers.splice(0).map((server) => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    }),
  );
}

async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Starts the built hello service as a real process; resolves with its URL once it is ready. */
export async function startHello(version: string, workIterations = 100_000): Promise<string> {
  const port = await freePort();
  const child = spawn(process.execPath, [HELLO], {
    env: {
      PATH: process.env.PATH,
      HOST: '127.0.0.1',
      PORT: String(port),
      APP_VERSION: version,
      WORK_ITERATIONS: String(workIterations),
      LOG_LEVEL: 'warn',
    },
    stdio: 'ignore',
  });
  children.push(child);
  const url = `http://127.0.0.1:${port}/`;
  // A deadline for a broken server only: a busy machine may take seconds to start one.
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`hello exited with ${child.exitCode}`);
    const ready = await fetch(`${url}readyz`).then(
      (res) => res.ok,
      () => false,
    );
    if (ready) return url;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('hello did not become ready within 60 s');
}

export interface Sent {
  hostname: string | undefined;
  version: string | undefined;
  status: number;
}

/** Replicas of the stand-in proxy made sick, as hello's POST /sick makes them. */
export interface SickReplicas {
  /** This replica holds each answer for `slowMs` before it sends it. */
  slow?: { name: string; slowMs: number };
  /** This replica answers every other request with its own 500, its X-Hostname on it. */
  failing?: string;
}

/**
 * A stand-in for nginx in front of several replicas, in this process: it answers in turn as
 * "alpha", "beta" and "gamma", as version 1 or 2, and every tenth answer is a 502 without
 * X-Hostname or X-Version, like a proxy's own error page. It records what it sent, in order.
 */
export async function startRoundRobin(sick: SickReplicas = {}): Promise<{ url: string; sent: Sent[] }> {
  const names = ['alpha', 'beta', 'gamma'];
  const sent: Sent[] = [];
  let failingAnswers = 0;
  const server = createServer((_request, response) => {
    const i = sent.length;
    const answer: Sent =
      i % 10 === 9
        ? { hostname: undefined, version: undefined, status: 502 }
        : { hostname: names[i % 3], version: String((i % 2) + 1), status: 200 };
    if (answer.hostname !== undefined && answer.hostname === sick.failing && failingAnswers++ % 2 === 1)
      answer.status = 500;
    sent.push(answer);
    response.statusCode = answer.status;
    response.setHeader('server-timing', 'work;dur=0.5, cpu;dur=0.25');
    if (answer.hostname) response.setHeader('x-hostname', answer.hostname);
    if (answer.version) response.setHeader('x-version', answer.version);
    if (answer.hostname !== undefined && answer.hostname === sick.slow?.name)
      setTimeout(() => response.end('ok'), sick.slow.slowMs);
    else response.end('ok');
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, sent };
}

/** Counts by name, with "(none)" for a missing one, as the tool counts. */
export function countSent(sent: readonly Sent[], field: 'hostname' | 'version'): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const answer of sent) {
    const name = answer[field] ?? '(none)';
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

/**
 * One replica that stops answering for `pauseMs` once `pauseAfter` requests have come in, as a
 * paused container does, then answers everything it holds: the open loop's paused-replica case.
 */
export async function startPausing(pauseAfter: number, pauseMs: number): Promise<{ url: string }> {
  let seen = 0;
  let resumeAt = 0;
  const server = createServer((_request, response) => {
    seen += 1;
    if (seen === pauseAfter) resumeAt = Date.now() + pauseMs;
    const answer = () => response.setHeader('x-hostname', 'solo').setHeader('x-version', '1').end('ok');
    const wait = resumeAt - Date.now();
    if (wait > 0) setTimeout(answer, wait);
    else answer();
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}
