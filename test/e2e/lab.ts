// What the end-to-end tests share: the lab under test, run with the project's own commands.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A project name and port of its own, so the tests never touch a lab a person is running
 * (E2E_PROJECT and E2E_PORT change them, for two test runs on one engine).
 */
export const PROJECT = process.env.E2E_PROJECT || 'hello-lab-e2e';
export const PORT = Number(process.env.E2E_PORT || 18080);
export const BASE_URL = `http://127.0.0.1:${PORT}`;
export const ROOT = new URL('../../', import.meta.url).pathname;
/** Written by the global setup (stack.ts) once the lab under test is up: "ok", or why it is not. */
export const LAB_READY = join(tmpdir(), `${PROJECT}-ready`);

/**
 * test/e2e/cluster.test.ts runs beside test/e2e/swarm.test.ts (vitest.config.ts). Its nodes find
 * each other and their registry through this engine's name resolution on a network of their own,
 * and on Docker 20.10 leaving a swarm breaks that in every bridge network made before: the swarm
 * file waits for the cluster file to end before it leaves the swarm it started. The cluster file
 * marks itself running with its process id, so that a run stopped midway leaves no wait behind.
 */
const CLUSTER_RUNNING = join(tmpdir(), `${PROJECT}-cluster-running`);
export const clusterFile = {
  starts: () => writeFileSync(CLUSTER_RUNNING, String(process.pid)),
  ends: () => rmSync(CLUSTER_RUNNING, { force: true }),
  running(): boolean {
    let pid: number;
    try {
      pid = Number(readFileSync(CLUSTER_RUNNING, 'utf8'));
      process.kill(pid, 0);
    } catch {
      return false;
    }
    return pid > 0;
  },
};

export const labEnv = {
  ...process.env,
  COMPOSE_PROJECT_NAME: PROJECT,
  HTTP_BIND: '127.0.0.1',
  HTTP_PORT: String(PORT),
  // The perf job runs beside these files (startPerfJob), and the load generator would measure its
  // CPU as the machine's other work. The files that check the model give it none; the open-loop
  // file checks the measured figure.
  OTHER_CORES: '0',
};

/**
 * Runs a command in the repository root; rejects with its output when it fails. Its stdin is
 * /dev/null, as in a terminal-less CI job: on a socket (Node's default pipe), bash takes itself
 * for a remote shell and reads the bashrc files, which fail under make's `set -u`.
 */
export function run(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv = labEnv,
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve({ stdout, stderr });
      else reject(new Error(`${file} ${args.join(' ')} failed (exit ${code}):\n${stdout}\n${stderr}`));
    });
  });
}

export const make = (...args: string[]) => run('make', ['--no-print-directory', ...args]);
export const compose = (...args: string[]) => run('docker', ['compose', ...args]);

/** Container ids of one service of the lab under test. */
export async function containerIds(service: string): Promise<string[]> {
  const { stdout } = await compose('ps', '-q', service);
  return stdout.split('\n').filter(Boolean);
}

export async function inspect(ids: string[]): Promise<DockerInspect[]> {
  if (ids.length === 0) return [];
  const { stdout } = await run('docker', ['inspect', ...ids]);
  return JSON.parse(stdout);
}

export interface DockerInspect {
  Id: string;
  Name: string;
  RestartCount: number;
  State: { StartedAt: string; Status: string; Health?: { Status: string } };
  Config: { User: string; Hostname: string; Image: string };
  NetworkSettings: { Networks: Record<string, { IPAddress: string }> };
  HostConfig: {
    ReadonlyRootfs: boolean;
    CapDrop: string[] | null;
    CapAdd: string[] | null;
    SecurityOpt: string[] | null;
    Init: boolean | null;
    Memory: number;
    NanoCpus: number;
    PidsLimit: number | null;
    PortBindings: Record<string, { HostIp: string; HostPort: string }[]> | null;
    Tmpfs: Record<string, string> | null;
  };
}

export interface Tally {
  hostnames: Record<string, number>;
  statuses: Record<string, number>;
}

export function emptyTally(): Tally {
  return { hostnames: {}, statuses: {} };
}

/**
 * Sends `count` GET requests one after another and counts answers by replica and status; to the
 * lab under test, or to a lab of a test's own at `baseUrl`.
 */
export async function tally(
  count: number,
  path = '/',
  into: Tally = emptyTally(),
  baseUrl = BASE_URL,
): Promise<Tally> {
  for (let i = 0; i < count; i++) await countOne(path, into, baseUrl);
  return into;
}

async function countOne(path: string, into: Tally, baseUrl = BASE_URL): Promise<void> {
  let status = 'error';
  try {
    const res = await fetch(`${baseUrl}${path}`, { signal: AbortSignal.timeout(15_000) });
    await res.arrayBuffer();
    status = String(res.status);
    const host = res.headers.get('x-hostname') ?? '(none)';
    into.hostnames[host] = (into.hostnames[host] ?? 0) + 1;
  } catch {
    // counted as "error" below
  }
  into.statuses[status] = (into.statuses[status] ?? 0) + 1;
}

/**
 * Keeps GET traffic flowing (bounded in count and time) until stopped, to show that a change
 * made meanwhile costs no request; to the lab under test, or to a lab of a test's own at `baseUrl`.
 */
export function backgroundTraffic(maxRequests = 5000, maxMs = 120_000, baseUrl = BASE_URL) {
  const seen = emptyTally();
  let stopped = false;
  const deadline = Date.now() + maxMs;
  const done = (async () => {
    for (let i = 0; i < maxRequests && !stopped && Date.now() < deadline; i++) {
      await countOne('/', seen, baseUrl);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  return {
    async stop(): Promise<Tally> {
      stopped = true;
      await done;
      return seen;
    },
  };
}

/** Polls `check` until it returns true or `ms` pass; returns whether it did. */
export async function eventually(check: () => Promise<boolean>, ms: number, everyMs = 250): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return false;
}

/**
 * Recreates nginx with some of its protections switched off (`{ PROXY_RETRY: 'off' }`, README
 * "Break it"), runs `scenario`, and puts nginx back with every protection on, also when the
 * scenario fails. The control tests use it: the same scenario must fail without its protection.
 */
export async function withProxySwitches<T>(switches: Record<string, string>, scenario: () => Promise<T>) {
  const proxy = (env: Record<string, string>) =>
    run('docker', ['compose', 'up', '-d', '--wait', '--no-deps', 'nginx'], { ...labEnv, ...env });
  await proxy(switches);
  try {
    return await scenario();
  } finally {
    await proxy({});
  }
}

/**
 * `make perf-quick`, started by the global setup once the lab is up and run beside the e2e files
 * (no test asserts a speed, so they may share the cores): a compose project and a port of its
 * own, its output and exit status in files that test/e2e/perf.test.ts waits for.
 */
export const PERF_JOB = (() => {
  const dir = join(tmpdir(), `${PROJECT}-perf-job`);
  return {
    project: `${PROJECT}-perf`,
    port: PORT + 20,
    reports: join(dir, 'reports'),
    output: join(dir, 'output'),
    status: join(dir, 'status'),
  };
})();

export function startPerfJob(): { stop(): void } {
  rmSync(join(PERF_JOB.reports, '..'), { recursive: true, force: true });
  mkdirSync(PERF_JOB.reports, { recursive: true });
  const child = spawn(
    'bash',
    [
      '-c',
      'make --no-print-directory perf-quick >"$1" 2>&1; echo $? >"$2"',
      'perf-job',
      PERF_JOB.output,
      PERF_JOB.status,
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        PERF_PROJECT: PERF_JOB.project,
        PERF_PORT: String(PERF_JOB.port),
        PERF_REPORTS: PERF_JOB.reports,
      },
      stdio: 'ignore',
      // Its own process group: a Ctrl-C to the group stops make and the job, which then takes
      // its project down.
      detached: true,
    },
  );
  return {
    stop() {
      if (child.exitCode !== null || child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGINT');
      } catch {
        // already gone
      }
    },
  };
}
