// The measurements, in the order that needs the fewest restarts: start-up (which leaves the lab
// up), the busy loop's cost and the saturated runs, then the same lab without the loop for the
// round-robin count, the keep-alive check and the proxy's latency, then hello against the seed in
// the driver's namespace, and last the load generator against wrk on the host.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import {
  BARE_NGINX,
  BARE_NGINX_URL,
  CLOCK_TICKS,
  CommandError,
  ContainerCpu,
  DRIVER,
  type Lab,
  LOADGEN_CLI,
  machineCores,
  machineCpu,
  NGINX_URL,
  processCpu,
  ROOT,
  run,
  SEED,
  SEED_URL,
  SOLO,
  SOLO_URL,
  start,
  stop,
} from './lab.js';
import {
  type CeilingRun,
  type FairnessRun,
  type LatencyRun,
  type Measurements,
  PROXY_PATHS,
  type ProxyPath,
  type ProxyRun,
  type SaturationRun,
  type SeedRun,
  type ServerRun,
  type ServiceTimeRun,
} from './measurements.js';
import { type PerfOptions, replicaCounts } from './options.js';
import { parseLoadResult, parseProcStat, parseShellTimes, parseWrk } from './parse.js';
import type { LatencyResult } from './probe/probe.js';
import { percentile } from './summary.js';

export type Log = (line: string) => void;

/**
 * Each repetition starts one further along the list (two alternate), so that drift on a shared
 * machine hits all alike.
 */
const rotated = <T>(items: readonly [T, ...T[]], repetition: number): [T, ...T[]] => {
  const shift = repetition % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)] as [T, ...T[]];
};

async function probeScript(): Promise<string> {
  const source = await readFile(join(ROOT, 'perf/src/probe/probe.ts'), 'utf8');
  return ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  }).outputText;
}

interface Context {
  lab: Lab;
  options: PerfOptions;
  log: Log;
  driver: string;
  probe: string;
}

/** Item 7: `docker compose up --wait` of N replicas with the images built, down in between. */
async function measureStartup(lab: Lab, options: PerfOptions, log: Log): Promise<number[]> {
  const seconds: number[] = [];
  for (let r = 0; r < options.repetitions; r++) {
    await lab.down();
    const { seconds: took } = await lab.up(options.replicas, null);
    log(
      `start-up ${r + 1}/${options.repetitions}: ${took.toFixed(1)} s to ${options.replicas} healthy replicas`,
    );
    seconds.push(took);
  }
  return seconds;
}

/** CPU seconds of a set of containers and of the whole machine, read together. */
async function cpuSnapshot(groups: Record<string, ContainerCpu[]>) {
  const entries = await Promise.all(
    Object.entries(groups).map(async ([name, cpus]) => {
      const values = await Promise.all(cpus.map((cpu) => cpu.seconds()));
      return [name, values.reduce((a, b) => a + b, 0)] as const;
    }),
  );
  return { groups: Object.fromEntries(entries), machine: (await machineCpu()).busy };
}

async function loadThroughNginx(ctx: Context, args: string[]) {
  const { stdout, seconds } = await ctx.lab.loadgen(ctx.driver, ['--url', NGINX_URL, ...args]);
  return { result: parseLoadResult(stdout), seconds };
}

/** Item 1: the loop's cost per answer, in process (Server-Timing), one request at a time. */
async function measureServiceTime(ctx: Context): Promise<ServiceTimeRun[]> {
  const { options, log } = ctx;
  const runs: ServiceTimeRun[] = [];
  for (let r = 0; r < options.repetitions; r++) {
    const { result } = await loadThroughNginx(ctx, [
      '--connections',
      '1',
      '--duration',
      String(options.latencyDuration),
      '--warmup',
      String(options.warmup),
    ]);
    if (result.cpuMs === null || result.workMs === null)
      throw new Error('the answers carried no Server-Timing');
    runs.push({ cpuMs: result.cpuMs, wallMs: result.workMs, rps: result.throughputRps });
    log(`service time ${r + 1}/${options.repetitions}: ${result.cpuMs.toFixed(2)} ms CPU per answer`);
  }
  return runs;
}

/** Item 2: saturated runs through nginx at 1, 2 and N replicas, with the CPU of every part. */
async function measureSaturation(ctx: Context): Promise<SaturationRun[]> {
  const { lab, options, log, driver } = ctx;
  const runs: SaturationRun[] = [];
  const [nginxId] = await lab.containerIds('nginx');
  if (!nginxId) throw new Error('nginx is not running');
  const nginx = await ContainerCpu.of(nginxId);
  const driverCpu = await ContainerCpu.of(driver);
  const [nginxLimit, loadgenLimit] = await Promise.all([lab.cpuLimit(nginxId), lab.cpuLimit(driver)]);
  for (const replicas of replicaCounts(options.replicas)) {
    await lab.scale(replicas, null);
    await waitForNginx(ctx);
    const replicaCpus = await Promise.all((await lab.containerIds('hello')).map((id) => ContainerCpu.of(id)));
    for (let r = 0; r < options.repetitions; r++) {
      const before = await cpuSnapshot({ nginx: [nginx], replicas: replicaCpus, driver: [driverCpu] });
      const { result } = await loadThroughNginx(ctx, [
        '--connections',
        String(options.connections),
        '--duration',
        String(options.duration),
        '--warmup',
        String(options.warmup),
        '--cores',
        String(machineCores()),
      ]);
      const after = await cpuSnapshot({ nginx: [nginx], replicas: replicaCpus, driver: [driverCpu] });
      // Cores over the time the load ran (warm-up and measurement), not the command's start and end.
      const seconds = options.warmup + result.seconds;
      const used = (name: string) => ((after.groups[name] ?? 0) - (before.groups[name] ?? 0)) / seconds;
      const machine = (after.machine - before.machine) / seconds;
      runs.push({
        replicas,
        rps: result.throughputRps,
        errors: result.errors,
        loadgenCores: result.loadgenCores,
        loadgenLimit,
        nginxLimit,
        nginxCores: used('nginx'),
        replicaCores: used('replicas'),
        otherCores: Math.max(0, machine - used('nginx') - used('replicas') - used('driver')),
        cpuMs: result.cpuMs,
      });
      log(
        `saturation, ${replicas} replicas, ${r + 1}/${options.repetitions}: ${result.throughputRps.toFixed(0)} req/s ` +
          `(replicas ${used('replicas').toFixed(2)}, nginx ${used('nginx').toFixed(2)}, load generator ` +
          `${result.loadgenCores.toFixed(2)}, others ${(machine - used('nginx') - used('replicas') - used('driver')).toFixed(2)} cores)`,
      );
    }
  }
  return runs;
}

/** Each replica's accepted-connection count, read through nginx. */
async function connectionCounts(ctx: Context, replicas: number): Promise<Record<string, number>> {
  const { stdout } = await ctx.lab.probe(ctx.driver, ctx.probe, 'scrape', {
    PROBE_URL: `${NGINX_URL}metrics`,
    PROBE_REPLICAS: replicas,
  });
  return JSON.parse(stdout);
}

/**
 * Waits until nginx hands requests to exactly the running replicas: it re-resolves their name
 * every second, so a scale or a restart takes it a second or two to follow.
 */
async function waitForNginx(ctx: Context): Promise<void> {
  const ids = await ctx.lab.containerIds('hello');
  const deadline = Date.now() + 15_000;
  for (;;) {
    // While replicas come and go a scrape may fail: it is tried again until the deadline.
    const seen = Object.keys(await connectionCounts(ctx, ids.length).catch(() => ({})));
    const all = ids.every((id) => seen.some((hostname) => id.startsWith(hostname)));
    if (all && seen.length === ids.length) return;
    if (Date.now() > deadline)
      throw new Error(`nginx does not reach the ${ids.length} replicas: it answers from ${seen.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Health checks that started between two moments, over all replicas: each opens a connection. */
async function healthChecksBetween(ctx: Context, from: number, to: number): Promise<number> {
  const ids = await ctx.lab.containerIds('hello');
  const times = (await Promise.all(ids.map((id) => ctx.lab.healthCheckTimes(id)))).flat();
  return times.filter((time) => time >= from && time <= to).length;
}

/** Item 6 and the keep-alive check: counted runs through nginx to N replicas without the loop. */
async function measureFairness(ctx: Context): Promise<FairnessRun[]> {
  const { options, log } = ctx;
  const counted = [
    '--amount',
    String(options.fairnessRequests),
    '--connections',
    String(options.connections),
    '--warmup',
    '0',
  ];
  // Connections to the replicas opened before counting, as in a lab that has been running, and
  // nginx given a few of its one-second re-resolutions to settle on the replicas just started.
  await loadThroughNginx(ctx, [
    '--duration',
    '2',
    '--warmup',
    '0',
    '--connections',
    String(options.connections),
  ]);
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const runs: FairnessRun[] = [];
  for (let r = 0; r < options.repetitions; r++) {
    const from = Date.now();
    const before = await connectionCounts(ctx, options.replicas);
    const { result } = await loadThroughNginx(ctx, counted);
    const after = await connectionCounts(ctx, options.replicas);
    // The replicas' own health checks connect directly, not through nginx: left out.
    const healthChecks = await healthChecksBetween(ctx, from, Date.now());
    const accepted = Object.keys(after)
      .filter((replica) => replica in before)
      .reduce((sum, replica) => sum + ((after[replica] ?? 0) - (before[replica] ?? 0)), 0);
    const newConnections = Math.max(0, accepted - healthChecks);
    runs.push({
      requests: result.requests,
      errors: result.errors,
      hostnames: result.hostnames,
      newConnections,
      healthChecks,
    });
    log(
      `round robin ${r + 1}/${options.repetitions}: ${JSON.stringify(result.hostnames)}, ` +
        `${newConnections} new connections from nginx to the replicas (${healthChecks} health checks left out)`,
    );
  }
  return runs;
}

async function latencyRun(ctx: Context, url: string, connections: number): Promise<LatencyRun> {
  const { stdout } = await ctx.lab.probe(ctx.driver, ctx.probe, 'latency', {
    PROBE_URL: url,
    PROBE_CONNECTIONS: connections,
    PROBE_SECONDS: ctx.options.latencyDuration,
    PROBE_WARMUP: ctx.options.warmup,
  });
  const { latenciesUs, errors, reconnects } = JSON.parse(stdout) as LatencyResult;
  const sorted = [...latenciesUs].sort((a, b) => a - b);
  return {
    p50Ms: percentile(sorted, 50) / 1000,
    p99Ms: percentile(sorted, 99) / 1000,
    requests: sorted.length,
    errors,
    reconnects,
  };
}

/**
 * Item 4: latency direct to one replica, through the lab's nginx to it, and through a bare nginx
 * to it, at 1 and at C connections; each repetition starts with another of the three.
 */
async function measureProxy(ctx: Context): Promise<ProxyRun[]> {
  const { lab, options, log } = ctx;
  await lab.scale(1, 0);
  await waitForNginx(ctx);
  const [replica] = await lab.containerIds('hello');
  if (!replica) throw new Error('no replica is running');
  // The bare nginx resolves "hello" when it starts: now, with the one replica.
  await lab.startPerfServices([BARE_NGINX]);
  try {
    await lab.probe(ctx.driver, ctx.probe, 'wait', { PROBE_URL: BARE_NGINX_URL });
    const urls: Record<ProxyPath, string> = {
      direct: `http://${await lab.address(replica)}:8080/`,
      nginx: NGINX_URL,
      bare: BARE_NGINX_URL,
    };
    const runs: ProxyRun[] = [];
    for (const connections of [...new Set([1, options.connections])]) {
      for (let r = 0; r < options.repetitions; r++) {
        const order = rotated(PROXY_PATHS, r);
        const measured: Partial<Record<ProxyPath, LatencyRun>> = {};
        for (const path of order) measured[path] = await latencyRun(ctx, urls[path], connections);
        const run = { connections, first: order[0], ...(measured as Record<ProxyPath, LatencyRun>) };
        runs.push(run);
        const p50 = (path: ProxyPath) => run[path].p50Ms.toFixed(3);
        log(
          `proxy latency, ${connections} connections, ${r + 1}/${options.repetitions}: p50 ` +
            `${p50('direct')} ms direct, ${p50('nginx')} ms through nginx, ${p50('bare')} ms through a bare nginx`,
        );
      }
    }
    return runs;
  } finally {
    await lab.stopPerfServices([BARE_NGINX]);
  }
}

/** wrk runs one thread, so that it takes a core at most. */
const WRK_CORES = 1;

/**
 * One run of wrk on the host, and the CPU it used, in cores: bash runs it and then `times`, which
 * prints the CPU time of what it ran.
 */
async function runWrk(url: string, connections: number, seconds: number) {
  const script = 'wrk "$@"; status=$?; times; exit $status';
  const args = [`-t${WRK_CORES}`, `-c${connections}`, `-d${seconds}s`, url];
  const { stdout } = await run('bash', ['-c', script, 'wrk', ...args]);
  const result = parseWrk(stdout);
  return { ...result, wrkCores: parseShellTimes(stdout) / result.seconds };
}

interface LoadRun {
  rps: number;
  requests: number;
  errors: number;
  seconds: number;
  loadgenCores: number;
}

/**
 * Item 3: the seed and hello without the loop, one at a time, under the same load: the lab's
 * load generator in the driver, over the driver's loopback, and wrk, from the host to the
 * driver's address on the perf network (when wrk is installed). The lab's load generator spends
 * more per answer than either server, and more on an answer with more headers; wrk spends a
 * fraction of that, so its runs show what the servers themselves cost.
 */
async function measureSeed(ctx: Context, withWrk: boolean): Promise<{ loadgen: SeedRun[]; wrk: SeedRun[] }> {
  const { lab, options, log, driver } = ctx;
  await lab.startPerfServices([SEED, SOLO]);
  for (const url of [SEED_URL, SOLO_URL]) await lab.probe(driver, ctx.probe, 'wait', { PROBE_URL: url });
  const driverAddress = await lab.address(driver);
  const server = async (service: string, url: string, script: string) => {
    const [id] = await lab.containerIds(service);
    if (!id) throw new Error(`${service} is not running`);
    const fromHost = new URL(url);
    fromHost.hostname = driverAddress;
    return { url, fromHost: fromHost.href, cpu: await processCpu(id, script), limit: await lab.cpuLimit(id) };
  };
  const servers = {
    seed: await server(SEED, SEED_URL, 'seed-server.js'),
    hello: await server(SOLO, SOLO_URL, 'server.js'),
  };
  const loadgenLimit = await lab.cpuLimit(driver);
  type Name = keyof typeof servers;
  type Tool = 'loadgen' | 'wrk';
  const connections = String(options.serverConnections);
  const loads: Record<Tool, (name: Name, seconds: number) => Promise<LoadRun>> = {
    loadgen: async (name, seconds) => {
      const { stdout } = await lab.loadgen(driver, [
        '--url',
        servers[name].url,
        '--connections',
        connections,
        '--duration',
        String(seconds),
        '--warmup',
        '0',
      ]);
      const result = parseLoadResult(stdout);
      return {
        rps: result.throughputRps,
        requests: result.requests,
        errors: result.errors,
        seconds: result.seconds,
        loadgenCores: result.loadgenCores,
      };
    },
    wrk: async (name, seconds) => {
      const result = await runWrk(servers[name].fromHost, options.serverConnections, seconds);
      return {
        rps: result.requestsPerSecond,
        requests: result.requests,
        errors: result.errors,
        seconds: result.seconds,
        loadgenCores: result.wrkCores,
      };
    },
  };
  const measureOne = async (tool: Tool, name: Name, seconds: number, warmup = false): Promise<ServerRun> => {
    const cpuBefore = await servers[name].cpu();
    const result = await loads[tool](name, seconds);
    const cpu = (await servers[name].cpu()) - cpuBefore;
    if (!warmup && result.requests === 0) throw new Error(`${name} answered nothing to ${tool}`);
    return {
      rps: result.rps,
      requests: result.requests,
      errors: result.errors,
      serverCores: cpu / result.seconds,
      serverLimit: servers[name].limit,
      requestsPerCpuSecond: cpu > 0 ? result.requests / cpu : 0,
      loadgenCores: result.loadgenCores,
      loadgenLimit: tool === 'loadgen' ? loadgenLimit : WRK_CORES,
    };
  };
  const tools: Tool[] = withWrk ? ['loadgen', 'wrk'] : ['loadgen'];
  // Warm-up, left out: the JIT, the connections.
  for (const tool of tools)
    for (const name of ['seed', 'hello'] as const)
      await measureOne(tool, name, Math.max(options.warmup, 1), true);
  const runs: Record<Tool, SeedRun[]> = { loadgen: [], wrk: [] };
  for (let r = 0; r < options.repetitions; r++) {
    for (const tool of tools) {
      const order = rotated(['seed', 'hello'] as const, r);
      const measured: Partial<Record<Name, ServerRun>> = {};
      for (const name of order) measured[name] = await measureOne(tool, name, options.duration);
      const run = { first: order[0], seed: measured.seed as ServerRun, hello: measured.hello as ServerRun };
      runs[tool].push(run);
      log(
        `hello against the seed, ${tool}, ${r + 1}/${options.repetitions}: ${run.hello.rps.toFixed(0)} against ` +
          `${run.seed.rps.toFixed(0)} req/s; ${run.hello.requestsPerCpuSecond.toFixed(0)} against ` +
          `${run.seed.requestsPerCpuSecond.toFixed(0)} per CPU-second`,
      );
    }
  }
  await lab.stopPerfServices([SEED, SOLO]);
  return runs;
}

// The trivial target of item 5: a constant answer, as little server work as Node allows.
const TRIVIAL_TARGET = `
const server = require('node:http').createServer((req, res) => res.end('ok'));
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
process.on('SIGTERM', () => process.exit(0));
`;

/** Item 5: wrk and the lab's load generator on the host against the same trivial loopback target. */
async function measureCeiling(options: PerfOptions, log: Log): Promise<CeilingRun[]> {
  const target = start(process.execPath, ['-e', TRIVIAL_TARGET]);
  const reports = await mkdtemp(join(tmpdir(), 'hello-lab-perf-'));
  try {
    const port = await new Promise<string>((resolve, reject) => {
      target.stdout?.once('data', (chunk) => resolve(String(chunk).trim()));
      target.once('exit', () => reject(new Error('the trivial target did not start')));
    });
    const url = `http://127.0.0.1:${port}/`;
    const targetCpu = async () =>
      parseProcStat(await readFile(`/proc/${target.pid}/stat`, 'utf8'), CLOCK_TICKS);
    // wrk takes whole seconds, as do all durations of the job (options.ts).
    const seconds = options.duration;
    const connections = String(options.serverConnections);
    const wrk = async (duration: number) => {
      const before = await targetCpu();
      const result = await runWrk(url, options.serverConnections, duration);
      return {
        rps: result.requestsPerSecond,
        targetCores: ((await targetCpu()) - before) / result.seconds,
        wrkCores: result.wrkCores,
      };
    };
    const loadgen = async (duration: number) => {
      const before = await targetCpu();
      const { stdout } = await run(process.execPath, [
        LOADGEN_CLI,
        '--url',
        url,
        '--connections',
        connections,
        '--duration',
        String(duration),
        '--warmup',
        '0',
        '--json',
        '--quiet',
        '--reports',
        reports,
      ]);
      const result = parseLoadResult(stdout);
      return {
        rps: result.throughputRps,
        loadgenCores: result.loadgenCores,
        targetCores: ((await targetCpu()) - before) / result.seconds,
      };
    };
    await wrk(1);
    await loadgen(1);
    const runs: CeilingRun[] = [];
    for (let r = 0; r < options.repetitions; r++) {
      const order = rotated(['wrk', 'loadgen'] as const, r);
      let wrkRun: CeilingRun['wrk'] | undefined;
      let loadgenRun: CeilingRun['loadgen'] | undefined;
      for (const tool of order) {
        if (tool === 'wrk') wrkRun = await wrk(seconds);
        else loadgenRun = await loadgen(seconds);
      }
      const ceiling = {
        first: order[0],
        wrk: wrkRun as CeilingRun['wrk'],
        loadgen: loadgenRun as CeilingRun['loadgen'],
      };
      runs.push(ceiling);
      log(
        `load generator against wrk ${r + 1}/${options.repetitions}: ${ceiling.loadgen.rps.toFixed(0)} against ` +
          `${ceiling.wrk.rps.toFixed(0)} req/s`,
      );
    }
    return runs;
  } finally {
    stop(target);
    await rm(reports, { recursive: true, force: true });
  }
}

/** The first line a tool prints about its version; null when it is not installed. */
async function versionOf(file: string, args: string[]): Promise<string | null> {
  try {
    const { stdout } = await run(file, args);
    return stdout.trim().split('\n')[0] ?? null;
  } catch (error) {
    // wrk prints its version, then its usage, and exits 1.
    const output = error instanceof CommandError ? error.output : '';
    return /^wrk \S+/m.exec(output)?.[0] ?? null;
  }
}

/** Runs every measurement against the job's own project; the caller takes the project down. */
export async function measureAll(lab: Lab, options: PerfOptions, log: Log): Promise<Measurements> {
  const startedAt = new Date().toISOString();
  const skipped: Record<string, string> = {};
  const wrkVersion = await versionOf('wrk', ['-v']);
  if (!wrkVersion) {
    skipped.ceiling = 'wrk is not installed (Debian: apt-get install -y wrk)';
    skipped.seedWrk = skipped.ceiling;
  }

  log('building the images (cached when nothing changed)');
  await lab.build();
  const startup = await measureStartup(lab, options, log);

  await lab.startPerfServices([DRIVER]);
  const ctx: Context = { lab, options, log, driver: await lab.driverId(), probe: await probeScript() };

  const serviceTime = await measureServiceTime(ctx);
  const saturation = await measureSaturation(ctx);

  log('the same lab without the busy loop (WORK_ITERATIONS=0)');
  await lab.up(options.replicas, 0);
  await waitForNginx(ctx);
  const fairness = await measureFairness(ctx);
  const proxy = await measureProxy(ctx);
  const seed = await measureSeed(ctx, wrkVersion !== null);
  const ceiling = wrkVersion ? await measureCeiling(options, log) : [];

  return {
    startedAt,
    finishedAt: new Date().toISOString(),
    cores: machineCores(),
    options,
    versions: {
      node: process.version,
      ...(wrkVersion ? { wrk: wrkVersion } : {}),
      docker: (await versionOf('docker', ['version', '--format', '{{.Server.Version}}'])) ?? 'unknown',
    },
    startup,
    serviceTime,
    saturation,
    seed: seed.loadgen,
    seedWrk: seed.wrk,
    proxy,
    fairness,
    ceiling,
    skipped,
  };
}
