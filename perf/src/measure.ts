// The measurements, in the order that needs the fewest restarts: start-up (which leaves the lab
// up), the busy loop's cost, the saturated runs, the open loop at half their capacity, two
// replicas with and without nginx, five with the lab's Prometheus (the live view's cost), then
// the same lab without the loop for the round-robin count, the keep-alive check and the proxy's latency, then hello against the seed in
// the driver's namespace, and last the load generator against wrk on the host. Each is in measure/.
import { CommandError, DRIVER, type Lab, machineCores, run } from './lab.js';
import { type Context, type Log, waitForNginx } from './measure/context.js';
import { measureDirectReplicas } from './measure/direct-replicas.js';
import { measureHalfLoad } from './measure/half-load.js';
import { measureHelloAgainstSeed } from './measure/hello-against-seed.js';
import { measureLiveView } from './measure/live-view.js';
import { measureLoadgenAgainstWrk } from './measure/loadgen-against-wrk.js';
import { measureProxyLatency } from './measure/proxy-latency.js';
import { measureRoundRobin } from './measure/round-robin.js';
import { measureSaturation } from './measure/saturation.js';
import { measureServiceTime } from './measure/service-time.js';
import { measureStartup } from './measure/startup.js';
import type { Measurements } from './measurements.js';
import type { PerfOptions } from './options.js';
import { median } from './summary.js';
import { probeScript } from './tools/probe-script.js';

export type { Log };

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
  const capacity = median(
    saturation.filter((run) => run.replicas === options.replicas).map((run) => run.rps),
  );
  const halfLoad = await measureHalfLoad(ctx, capacity);
  const direct = await measureDirectReplicas(ctx);
  const liveView = await measureLiveView(ctx);

  log('the same lab without the busy loop (WORK_ITERATIONS=0)');
  await lab.up(options.replicas, 0);
  await waitForNginx(ctx);
  const fairness = await measureRoundRobin(ctx);
  const proxy = await measureProxyLatency(ctx);
  const seed = await measureHelloAgainstSeed(ctx, wrkVersion !== null);
  const ceiling = wrkVersion ? await measureLoadgenAgainstWrk(options, log) : [];

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
    halfLoad,
    direct,
    seed: seed.loadgen,
    seedWrk: seed.wrk,
    proxy,
    fairness,
    ceiling,
    liveViewCpu: liveView.cpu,
    liveViewBench: liveView.bench,
    skipped,
  };
}
