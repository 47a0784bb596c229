// The live view's cost: the lab's Prometheus scraping 5 replicas every second, its CPU and
// nginx's with and without the live page's queries (sent as an open page sends them, through the
// published port), then the same saturated bench without and with those queries, alternated so
// that the difference can be read beside the spread of the repeats.
import { ContainerCpu, type Lab, machineCores } from '../lab.js';
import type { LiveViewBenchRun, LiveViewCpu, LiveViewCpuRun, LiveViewPhase } from '../measurements.js';
import { startPageQueries } from '../tools/page-queries.js';
import { type Context, loadThroughNginx, rotated, waitForNginx } from './context.js';

/** The lab: 1 s scrapes of 5 replicas. */
export const LIVE_VIEW_REPLICAS = 5;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until Prometheus, asked through nginx, has every replica's last scrape up. */
async function waitForTargets(lab: Lab, replicas: number): Promise<void> {
  const url = `${lab.labUrl}api/v1/query?query=${encodeURIComponent('count(up == 1)')}`;
  const deadline = Date.now() + 60_000;
  let seen = 'nothing';
  for (;;) {
    try {
      const body = (await (await fetch(url)).json()) as {
        data?: { result?: { value?: [number, string] }[] };
      };
      seen = body.data?.result?.[0]?.value?.[1] ?? '0';
      if (Number(seen) === replicas) return;
    } catch (error) {
      seen = (error as Error).message;
    }
    if (Date.now() > deadline)
      throw new Error(`Prometheus does not scrape the ${replicas} replicas: up == 1 counts ${seen}`);
    await sleep(500);
  }
}

export async function measureLiveView(
  ctx: Context,
): Promise<{ cpu: LiveViewCpuRun[]; bench: LiveViewBenchRun[] }> {
  const { lab, options, log } = ctx;
  const replicas = LIVE_VIEW_REPLICAS;
  log(`the live view's cost: ${replicas} replicas, Prometheus scraping each every second`);
  // Prometheus first: it gets ready while the new replicas pass their first health check.
  await lab.startPrometheus();
  await lab.scale(replicas, null);
  await waitForNginx(ctx);
  await waitForTargets(lab, replicas);
  const cpuOf = async (service: string) => {
    const [id] = await lab.containerIds(service);
    if (!id) throw new Error(`${service} is not running`);
    return ContainerCpu.of(id);
  };
  const prometheus = await cpuOf('prometheus');
  const nginx = await cpuOf('nginx');

  const phase = async (name: LiveViewPhase): Promise<LiveViewCpu> => {
    const before = await Promise.all([prometheus.seconds(), nginx.seconds()]);
    const started = process.hrtime.bigint();
    const page = name === 'queries' ? startPageQueries(lab.labUrl) : null;
    await sleep(options.duration * 1000);
    const after = await Promise.all([prometheus.seconds(), nginx.seconds()]);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const sent = page ? await page.stop() : { requests: 0, failed: 0 };
    return {
      prometheusCores: (after[0] - before[0]) / seconds,
      nginxCores: (after[1] - before[1]) / seconds,
      ...sent,
    };
  };
  const cpu: LiveViewCpuRun[] = [];
  for (let r = 0; r < options.repetitions; r++) {
    const order = rotated(['scrapes', 'queries'] as const, r);
    const measured: Partial<Record<LiveViewPhase, LiveViewCpu>> = {};
    for (const name of order) measured[name] = await phase(name);
    const run = { first: order[0], replicas, ...measured } as LiveViewCpuRun;
    cpu.push(run);
    const share = (cores: number) => `${((cores / machineCores()) * 100).toFixed(2)} %`;
    log(
      `live view, ${r + 1}/${options.repetitions}: Prometheus ${share(run.scrapes.prometheusCores)} scraping, ` +
        `${share(run.queries.prometheusCores)} with the page's queries (${run.queries.requests} sent, ` +
        `${run.queries.failed} failed); nginx ${share(run.scrapes.nginxCores)} and ${share(run.queries.nginxCores)}`,
    );
  }

  // A B A B: the same bench as `make bench`, without and with an open page, so noise shows.
  const bench: LiveViewBenchRun[] = [];
  for (let r = 0; r < options.repetitions; r++) {
    for (const withQueries of [false, true]) {
      const page = withQueries ? startPageQueries(lab.labUrl) : null;
      const { result } = await loadThroughNginx(ctx, {
        connections: options.connections,
        duration: options.duration,
        warmup: options.warmup,
        cores: machineCores(),
      });
      const sent = page ? await page.stop() : { requests: 0, failed: 0 };
      bench.push({ withQueries, replicas, rps: result.throughputRps, errors: result.errors, ...sent });
      log(
        `live view bench, ${r + 1}/${options.repetitions}, ${withQueries ? 'with' : 'without'} the page's queries: ` +
          `${result.throughputRps.toFixed(0)} req/s`,
      );
    }
  }
  await lab.stopPrometheus();
  return { cpu, bench };
}
