// hello without the loop against the seed, one at a time, under the same load: the lab's load
// generator in the driver, over the driver's loopback, and wrk, from the host to the driver's
// address on the perf network (when wrk is installed). The lab's load generator spends more per
// answer than either server, and more on an answer with more headers; wrk spends a fraction of
// that, so its runs show what the servers themselves cost.
import { processCpu, SEED, SEED_URL, SOLO, SOLO_URL } from '../lab.js';
import type { SeedRun, ServerRun } from '../measurements.js';
import { parseLoadResult } from '../parse.js';
import { loadgenArgs } from '../tools/loadgen-args.js';
import { runWrk, WRK_CORES } from '../tools/wrk.js';
import { type Context, rotated } from './context.js';

type Server = 'seed' | 'hello';
type Tool = 'loadgen' | 'wrk';

/** What one tool's run against one server gives, whichever the tool. */
interface LoadRun {
  rps: number;
  requests: number;
  errors: number;
  seconds: number;
  loadgenCores: number;
}

export async function measureHelloAgainstSeed(
  ctx: Context,
  withWrk: boolean,
): Promise<Record<Tool, SeedRun[]>> {
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
  const servers: Record<Server, Awaited<ReturnType<typeof server>>> = {
    seed: await server(SEED, SEED_URL, 'seed-server.js'),
    hello: await server(SOLO, SOLO_URL, 'server.js'),
  };
  const loadgenLimit = await lab.cpuLimit(driver);
  const loads: Record<Tool, (name: Server, seconds: number) => Promise<LoadRun>> = {
    loadgen: async (name, seconds) => {
      const { stdout } = await lab.loadgen(
        driver,
        loadgenArgs({
          url: servers[name].url,
          connections: options.serverConnections,
          duration: seconds,
          warmup: 0,
        }),
      );
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
  const measureOne = async (
    tool: Tool,
    name: Server,
    seconds: number,
    warmup = false,
  ): Promise<ServerRun> => {
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
      const measured: Partial<Record<Server, ServerRun>> = {};
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
