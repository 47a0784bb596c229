// The job's own compose project and the processes it starts: every command goes through here, so
// that a failure or Ctrl-C can stop exactly those and take down exactly that project.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { machineCpuSeconds, processCpuSeconds } from '@hello-lab/shared/cpu-time';
import type { PerfOptions } from './options.js';
import { cgroupCpuOf, parseCgroupCpu, parseDockerTop, serverPid } from './parse.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The load generator inside the driver container (the loadgen image's layout). */
export const LOADGEN_CLI = 'services/loadgen/dist/cli.js';
export const DRIVER = 'perf-driver';
export const SEED = 'perf-seed';
export const SOLO = 'perf-hello';
/** Where the seed and the lone hello listen, on the driver's loopback (perf/compose.yaml). */
export const SEED_URL = 'http://127.0.0.1:8081/';
export const SOLO_URL = 'http://127.0.0.1:8082/';
export const NGINX_URL = 'http://nginx:8080/';
/** Item 4's reference: a bare nginx in front of the same replica (perf/nginx-bare.conf). */
export const BARE_NGINX = 'perf-nginx-bare';
export const BARE_NGINX_URL = `http://${BARE_NGINX}:8080/`;

export class CommandError extends Error {
  override name = 'CommandError';
  /** Everything the command printed, stdout then stderr; empty when it could not start. */
  constructor(
    message: string,
    readonly output = '',
  ) {
    super(message);
  }
}

export class Interrupted extends Error {
  override name = 'Interrupted';
}

const running = new Set<ChildProcess>();
let interrupted = false;

/** Stops every process the job started and still runs; later commands fail with Interrupted. */
export function interrupt(): void {
  interrupted = true;
  for (const child of running) child.kill('SIGTERM');
}

export interface RunResult {
  stdout: string;
  stderr: string;
  seconds: number;
}

/** Runs a command to its end; rejects with its last lines of output when it fails. */
export function run(
  file: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; input?: string; evenWhenInterrupted?: boolean } = {},
): Promise<RunResult> {
  const stoppable = !options.evenWhenInterrupted;
  if (interrupted && stoppable) return Promise.reject(new Interrupted('stopped'));
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: ROOT, env: options.env ?? process.env, stdio: 'pipe' });
    if (stoppable) running.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    // A command that exits before it reads its input closes the pipe: EPIPE here is no failure
    // of ours (its exit status says how it went).
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
    child.on('error', (error) => {
      running.delete(child);
      reject(new CommandError(`${file}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      running.delete(child);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (interrupted && stoppable) reject(new Interrupted('stopped'));
      else if (code === 0) resolve({ stdout, stderr, seconds });
      else {
        const tail = `${stderr}\n${stdout}`.trim().split('\n').slice(-6).join('\n');
        reject(
          new CommandError(
            `${file} ${args.join(' ')} failed (${signal ?? code}):\n${tail}`,
            `${stdout}${stderr}`,
          ),
        );
      }
    });
  });
}

/** Starts a long-running process; the caller stops it with stop(). */
export function start(file: string, args: readonly string[], env?: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(file, args, {
    cwd: ROOT,
    env: env ?? process.env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  running.add(child);
  child.on('close', () => running.delete(child));
  return child;
}

export function stop(child: ChildProcess): void {
  if (child.exitCode === null) child.kill('SIGTERM');
  running.delete(child);
}

/** The job's compose project: its own name, port and files; nothing reaches another project. */
export class Lab {
  readonly env: NodeJS.ProcessEnv;

  constructor(readonly options: PerfOptions) {
    this.env = {
      ...process.env,
      COMPOSE_PROJECT_NAME: options.project,
      COMPOSE_FILE: ['compose.yaml', 'perf/compose.yaml'].join(process.platform === 'win32' ? ';' : ':'),
      HTTP_BIND: '127.0.0.1',
      HTTP_PORT: String(options.port),
      // The lab's own defaults; the no-loop phase sets WORK_ITERATIONS=0 explicitly.
      WORK_ITERATIONS: '',
      LOG_LEVEL: '',
    };
  }

  compose(
    args: readonly string[],
    env: NodeJS.ProcessEnv = {},
    evenWhenInterrupted = false,
  ): Promise<RunResult> {
    return run('docker', ['compose', '--progress', 'quiet', ...args], {
      env: { ...this.env, ...env },
      evenWhenInterrupted,
    });
  }

  build(): Promise<RunResult> {
    return this.compose(['--profile', 'bench', 'build', 'hello', 'nginx', 'loadgen', 'prometheus']);
  }

  /** The live page's address on the published port, where it asks Prometheus through nginx. */
  get labUrl(): string {
    return `http://127.0.0.1:${this.options.port}/lab/`;
  }

  /** The lab's Prometheus, for the live view's cost only: the other measurements run without it. */
  startPrometheus(): Promise<RunResult> {
    return this.compose(['up', '-d', '--no-recreate', 'prometheus']);
  }

  stopPrometheus(): Promise<RunResult> {
    return this.compose(['rm', '--stop', '--force', 'prometheus']);
  }

  /** Replicas with the busy loop (workIterations null: the lab's default) or without (0). */
  up(replicas: number, workIterations: number | null): Promise<RunResult> {
    const env = workIterations === null ? {} : { WORK_ITERATIONS: String(workIterations) };
    return this.compose(['up', '-d', '--wait', '--scale', `hello=${replicas}`, 'hello', 'nginx'], env);
  }

  /** Changes the number of replicas, keeping those that run (as `make scale`). */
  scale(replicas: number, workIterations: number | null): Promise<RunResult> {
    const env = workIterations === null ? {} : { WORK_ITERATIONS: String(workIterations) };
    return this.compose(
      ['up', '-d', '--no-recreate', '--wait', '--scale', `hello=${replicas}`, 'hello', 'nginx'],
      env,
    );
  }

  /** The perf services have no healthcheck (perf/compose.yaml): the probe's wait mode waits for them. */
  startPerfServices(services: readonly string[]): Promise<RunResult> {
    return this.compose(['--profile', 'perf', 'up', '-d', '--no-recreate', ...services]);
  }

  /** When each health check of a container started, of the last few that Docker keeps. */
  async healthCheckTimes(containerId: string): Promise<number[]> {
    const { stdout } = await run('docker', ['inspect', '--format', '{{json .State.Health}}', containerId]);
    const health = JSON.parse(stdout) as { Log?: { Start: string }[] } | null;
    return (health?.Log ?? []).map((entry) => Date.parse(entry.Start));
  }

  stopPerfServices(services: readonly string[]): Promise<RunResult> {
    return this.compose(['--profile', 'perf', 'rm', '--stop', '--force', ...services]);
  }

  /** Everything of the project, the perf services and one-off runs included; also after a stop. */
  down(): Promise<RunResult> {
    const args = [
      '--profile',
      'perf',
      '--profile',
      'bench',
      'down',
      '--volumes',
      '--remove-orphans',
      '--timeout',
      '5',
    ];
    return this.compose(args, {}, true);
  }

  async containerIds(service: string): Promise<string[]> {
    const { stdout } = await this.compose(['--profile', 'perf', 'ps', '-q', service]);
    return stdout.split('\n').filter(Boolean);
  }

  async driverId(): Promise<string> {
    const [id] = await this.containerIds(DRIVER);
    if (!id) throw new CommandError('the perf driver container is not running');
    return id;
  }

  /** The cores a container may use (compose's `cpus`); the machine's cores when unlimited. */
  async cpuLimit(containerId: string): Promise<number> {
    const { stdout } = await run('docker', ['inspect', '--format', '{{.HostConfig.NanoCpus}}', containerId]);
    const nano = Number(stdout.trim());
    return nano > 0 ? nano / 1e9 : machineCores();
  }

  /** A replica's address on the lab's network, for loading it directly. */
  async address(containerId: string): Promise<string> {
    const { stdout } = await run('docker', [
      'inspect',
      '--format',
      '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}',
      containerId,
    ]);
    const [ip] = stdout.trim().split(/\s+/);
    if (!ip) throw new CommandError(`container ${containerId} has no address`);
    return ip;
  }

  /** Runs the lab's load generator in the driver; its --json result on stdout. */
  loadgen(driver: string, args: readonly string[]): Promise<RunResult> {
    return run('docker', [
      'exec',
      driver,
      'node',
      LOADGEN_CLI,
      '--json',
      '--quiet',
      '--reports',
      '/tmp/perf',
      ...args,
    ]);
  }

  /** Runs the probe (probe/probe.ts, transpiled) in the driver in one mode. */
  probe(
    driver: string,
    script: string,
    mode: string,
    settings: Record<string, string | number>,
  ): Promise<RunResult> {
    const env = Object.entries({ PERF_PROBE: mode, ...settings }).flatMap(([name, value]) => [
      '-e',
      `${name}=${value}`,
    ]);
    return run('docker', ['exec', '-i', ...env, driver, 'node', '--input-type=module', '-'], {
      input: script,
    });
  }
}

// measure.ts reads /proc/<pid>/stat itself and divides by these ticks, USER_HZ.
export { CLOCK_TICKS } from '@hello-lab/shared/cpu-time';

/** CPU seconds a container has used so far, from its cgroup. */
export class ContainerCpu {
  private constructor(
    readonly id: string,
    private readonly file: string,
    private readonly kind: 'cpuacct.usage' | 'cpu.stat',
  ) {}

  static async of(id: string): Promise<ContainerCpu> {
    const { stdout } = await run('docker', ['inspect', '--format', '{{.State.Pid}}', id]);
    const cgroup = cgroupCpuOf(await readFile(`/proc/${stdout.trim()}/cgroup`, 'utf8'));
    return new ContainerCpu(id, cgroup.file, cgroup.kind);
  }

  async seconds(): Promise<number> {
    return parseCgroupCpu(await readFile(this.file, 'utf8'), this.kind);
  }
}

/** CPU seconds of the server process of a container: the Node process running `script`. */
export async function processCpu(containerId: string, script: string): Promise<() => Promise<number>> {
  const { stdout } = await run('docker', ['top', containerId, '-o', 'pid,args']);
  const pid = serverPid(parseDockerTop(stdout), script);
  return () => processCpuSeconds(pid);
}

/** Busy and total CPU seconds of this machine since boot. */
export const machineCpu = machineCpuSeconds;

export const machineCores = (): number => availableParallelism();
