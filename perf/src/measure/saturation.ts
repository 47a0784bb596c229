import { ContainerCpu, machineCores, machineCpu } from '../lab.js';
import type { SaturationRun } from '../measurements.js';
import { replicaCounts } from '../options.js';
import { type Context, loadThroughNginx, waitForNginx } from './context.js';

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

/** Saturated runs through nginx at 1, 2 and N replicas, with the CPU of every part. */
export async function measureSaturation(ctx: Context): Promise<SaturationRun[]> {
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
      const { result } = await loadThroughNginx(ctx, {
        connections: options.connections,
        duration: options.duration,
        warmup: options.warmup,
        cores: machineCores(),
      });
      const after = await cpuSnapshot({ nginx: [nginx], replicas: replicaCpus, driver: [driverCpu] });
      // Cores over the time the load ran (warm-up and measurement), not the command's start and end.
      const seconds = options.warmup + result.seconds;
      const used = (name: string) => ((after.groups[name] ?? 0) - (before.groups[name] ?? 0)) / seconds;
      const machine = (after.machine - before.machine) / seconds;
      const others = machine - used('nginx') - used('replicas') - used('driver');
      runs.push({
        replicas,
        rps: result.throughputRps,
        errors: result.errors,
        loadgenCores: result.loadgenCores,
        loadgenLimit,
        nginxLimit,
        nginxCores: used('nginx'),
        replicaCores: used('replicas'),
        otherCores: Math.max(0, others),
        cpuMs: result.cpuMs,
        modelCapacityRps: result.modelCapacityRps,
      });
      log(
        `saturation, ${replicas} replicas, ${r + 1}/${options.repetitions}: ${result.throughputRps.toFixed(0)} req/s ` +
          `(replicas ${used('replicas').toFixed(2)}, nginx ${used('nginx').toFixed(2)}, load generator ` +
          `${result.loadgenCores.toFixed(2)}, others ${others.toFixed(2)} cores)`,
      );
    }
  }
  return runs;
}
