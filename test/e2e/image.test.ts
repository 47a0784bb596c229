// The seed's image workflow: build hello-web:v1, run it with a published port, build v2, list and
// remove images, with the Make targets and docker commands the README gives.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually, labEnv, make, PORT, ROOT, run } from './lab.js';

const RUN_PORT = PORT + 10;
const started: ChildProcess[] = [];

afterAll(async () => {
  for (const child of started) {
    if (child.exitCode === null && child.signalCode === null) process.kill(-(child.pid as number), 'SIGKILL');
  }
  await run('docker', ['rm', '-f', 'hello-web']).catch(() => undefined);
  await run('docker', ['image', 'rm', '-f', 'hello-web:v2']).catch(() => undefined);
});

async function answer(url: string): Promise<{ text: string; hostname: string | null } | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return { text: await res.text(), hostname: res.headers.get('x-hostname') };
  } catch {
    return undefined;
  }
}

describe('the hello image', () => {
  it('is built as hello-web:v1 and runs alone with `make run`, stopping on Ctrl-C', async () => {
    await make('image');
    const child = spawn('make', ['--no-print-directory', 'run'], {
      cwd: ROOT,
      env: { ...labEnv, HTTP_PORT: String(RUN_PORT) },
      stdio: 'ignore',
      // Its own process group, to send Ctrl-C the way a terminal does: to the whole group.
      detached: true,
    });
    started.push(child);
    let reply: Awaited<ReturnType<typeof answer>>;
    const up = await eventually(async () => {
      reply = await answer(`http://127.0.0.1:${RUN_PORT}/`);
      return reply !== undefined;
    }, 120_000);
    expect(up).toBe(true);
    // In a container, the hostname is the container's short id.
    expect(reply?.text).toMatch(/^Hello from [0-9a-f]{12} \(v1\)$/);
    expect(reply?.text).toBe(`Hello from ${reply?.hostname} (v1)`);

    const exited = once(child, 'exit');
    process.kill(-(child.pid as number), 'SIGINT');
    await exited;
    // The container stopped and, run with --rm, is gone.
    const gone = await eventually(
      async () => (await run('docker', ['ps', '-aq', '--filter', 'name=^hello-web$'])).stdout.trim() === '',
      60_000,
    );
    expect(gone).toBe(true);
  });

  it('bakes the version in: VERSION=2 builds a different image that says v2', async () => {
    await make('image', 'VERSION=2');
    const { stdout: images } = await run('docker', ['images', '--format', '{{.Tag}} {{.ID}}', 'hello-web']);
    const ids = Object.fromEntries(
      images
        .trim()
        .split('\n')
        .map((line) => line.split(' ')),
    );
    expect(ids.v1).toBeTruthy();
    expect(ids.v2).toBeTruthy();
    expect(ids.v2).not.toBe(ids.v1);

    const { stdout } = await run('docker', [
      'run',
      '--rm',
      '--read-only',
      '--cap-drop',
      'ALL',
      '--entrypoint',
      'node',
      'hello-web:v2',
      '-e',
      "console.log(process.env.APP_VERSION + ' ' + process.getuid())",
    ]);
    expect(stdout.trim()).toBe('2 1000');

    await run('docker', ['rmi', 'hello-web:v2']);
    const { stdout: after } = await run('docker', ['images', '-q', 'hello-web:v2']);
    expect(after.trim()).toBe('');
  });
});
