import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';

const SERVER = fileURLToPath(new URL('../dist/server.js', import.meta.url));
const HEALTHCHECK = fileURLToPath(new URL('../dist/healthcheck.js', import.meta.url));
const started: ChildProcess[] = [];

afterEach(() => {
  for (const child of started.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as { port: number };
  probe.close();
  return port;
}

/** Starts the built server as a real process and resolves once it listens. */
async function startServer(env: Record<string, string>) {
  const port = await freePort();
  const child = spawn(process.execPath, [SERVER], {
    env: { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  let stdout = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  /** Resolves once the server has logged `message` (a deadline only for a broken server). */
  const logged = async (message: string) => {
    const deadline = Date.now() + 60_000;
    while (!stdout.includes(`"msg":"${message}"`)) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`no "${message}" in: ${stdout}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  await logged('ready');
  return { child, exited, logged, url: `http://127.0.0.1:${port}` };
}

async function runToExit(env: Record<string, string>, script = SERVER) {
  const child = spawn(process.execPath, [script], { env: { PATH: process.env.PATH, ...env } });
  started.push(child);
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const [code] = await once(child, 'exit');
  return { code, stderr };
}

describe('the server process', () => {
  it('finishes a request in flight on SIGTERM, then exits 0', async () => {
    // About a second of busy loop; the debug log says when the request has reached the service,
    // so the signal arrives while it is in flight.
    const { child, exited, logged, url } = await startServer({
      WORK_ITERATIONS: '1500000000',
      LOG_LEVEL: 'debug',
    });
    const response = fetch(`${url}/`);
    await logged('incoming request');
    child.kill('SIGTERM');
    const res = await response;
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^Hello from .+ \(v1\)$/);
    const [code] = await exited;
    expect(code).toBe(0);
  });

  it('with DRAIN=off, exits on SIGTERM at once: no readiness window, nothing finished', async () => {
    // A delay that a draining server would wait out first; DRAIN=off does not wait for it.
    const { child, exited, logged } = await startServer({
      WORK_ITERATIONS: '0',
      DRAIN: 'off',
      SHUTDOWN_DELAY_MS: '30000',
    });
    child.kill('SIGTERM');
    await logged('DRAIN=off: exiting without finishing the requests in flight');
    const [code] = await exited;
    expect(code).toBe(0);
  });

  it('serves the operator routes on OPERATOR_PORT alone, and answers what a stall held when stopped', async () => {
    const operatorPort = await freePort();
    const { child, exited, url } = await startServer({
      WORK_ITERATIONS: '0',
      OPERATOR_PORT: String(operatorPort),
    });
    const sick = `http://127.0.0.1:${operatorPort}/sick`;
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    expect((await fetch(`${url}/sick`, { method: 'POST', headers: form, body: 'mode=stall' })).status).toBe(
      404,
    );
    const made = await fetch(sick, { method: 'POST', headers: form, body: 'mode=stall' });
    expect(made.status).toBe(200);
    expect(await made.json()).toMatchObject({ sick: { mode: 'stall' }, held: 0 });
    const held = fetch(`${url}/`);
    await vi.waitFor(async () => expect(await (await fetch(sick)).json()).toMatchObject({ held: 1 }), {
      timeout: 30_000,
      interval: 50,
    });
    child.kill('SIGTERM');
    const res = await held;
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^Hello from .+ \(v1\)$/);
    const [code] = await exited;
    expect(code).toBe(0);
  });

  it.each(['SIGTERM', 'SIGINT'] as const)(
    'fails readiness as soon as %s arrives, then exits 0',
    async (signal) => {
      // The shutdown's own log line says when draining has started; the delay keeps the listener
      // open meanwhile, for the questions that follow.
      const { child, exited, logged, url } = await startServer({
        WORK_ITERATIONS: '0',
        SHUTDOWN_DELAY_MS: '3000',
      });
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      child.kill(signal);
      await logged('shutting down');
      const ready = await fetch(`${url}/readyz`);
      expect(ready.status).toBe(503);
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      const [code] = await exited;
      expect(code).toBe(0);
    },
  );

  it.each([
    [
      { WORK_ITERATIONS: 'abc' },
      'hello: WORK_ITERATIONS="abc" is not allowed: expected a whole number from 0 to 10000000000\n',
    ],
    [{ PORT: '70000' }, 'hello: PORT="70000" is not allowed: expected a whole number from 1 to 65535\n'],
  ])('stops at once on a bad setting %o with one line and exit 2', async (env, line) => {
    const { code, stderr } = await runToExit(env);
    expect(code).toBe(2);
    expect(stderr).toBe(line);
  });

  it('passes the container healthcheck while ready, and fails it once draining or gone', async () => {
    const { child, exited, logged, url } = await startServer({
      WORK_ITERATIONS: '0',
      SHUTDOWN_DELAY_MS: '3000',
    });
    const env = { HOST: '127.0.0.1', PORT: new URL(url).port };
    expect((await runToExit(env, HEALTHCHECK)).code).toBe(0);
    child.kill('SIGTERM');
    await logged('shutting down');
    expect((await runToExit(env, HEALTHCHECK)).code).toBe(1);
    await exited;
    expect((await runToExit(env, HEALTHCHECK)).code).toBe(1);
  });
});
