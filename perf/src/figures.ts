// From the raw measurements to the report: every figure with its median, min and max over the
// repetitions, how it was measured, its target, and what limited the bench. Pure: no I/O.
import type {
  CeilingRun,
  FairnessRun,
  Measurements,
  ProxyRun,
  SaturationRun,
  SeedRun,
  ServerRun,
} from './measurements.js';
import { replicaCounts } from './options.js';
import { median, round, type Summary, summarize } from './summary.js';

export interface Method {
  tool: string;
  /** What the load went to, and by which path. */
  target: string;
  /** Seconds of each repetition, warm-up left out; null where a count or a command sets the length. */
  durationSeconds: number | null;
  connections: number | null;
  repetitions: number;
  /** Requests of each repetition, when a count rather than a duration sets the length. */
  requests?: number;
}

export interface Target {
  comparison: 'at least' | 'under';
  value: number;
}

export interface Figure extends Summary {
  id: string;
  item: number;
  name: string;
  unit: string;
  method: Method;
  target: Target | null;
  /** Whether the median meets the target; null without a target. */
  met: boolean | null;
  /** What bounded a load bench, by most repetitions: the lab, or the tools measuring it. */
  limitedBy?: string;
  note?: string;
}

export interface PerfReport {
  generatedAt: string;
  quick: boolean;
  machine: { cores: number; versions: Record<string, string> };
  project: string;
  startedAt: string;
  finishedAt: string;
  figures: Figure[];
  /** One line per bench on what limited it, and on anything left out. */
  notes: string[];
}

// A part counts as used up from 90 % of the CPU it may use: the rest is the scheduler's slack.
const SATURATED = 0.9;

/** What bounded a saturated run through nginx: the load generator, the proxy, the replicas, or others. */
export function saturationLimit(run: SaturationRun, cores: number): string {
  if (run.loadgenCores >= SATURATED * run.loadgenLimit) return 'load generator';
  if (run.nginxCores >= SATURATED * run.nginxLimit) return 'nginx';
  const left = Math.min(run.replicas, cores - run.nginxCores - run.loadgenCores);
  if (run.replicaCores >= SATURATED * left) return 'replicas (lab)';
  if (run.otherCores >= 0.25) return 'other work on the machine';
  return 'lab (not CPU)';
}

/** What bounded one server run: the load generator's core, the server's core, or neither. */
export function serverLimit(run: ServerRun): string {
  if (run.loadgenCores >= SATURATED * run.loadgenLimit) return 'load generator';
  if (run.serverCores >= SATURATED * run.serverLimit) return 'server';
  return 'other work on the machine';
}

export function ceilingLimit(run: CeilingRun): string {
  if (run.loadgen.loadgenCores >= SATURATED) return 'load generator';
  if (run.loadgen.targetCores >= SATURATED) return 'target';
  return 'other work on the machine';
}

/** The most frequent of the repetitions' verdicts; the first one on a tie. */
export function majority(values: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  let best = values[0] ?? 'unknown';
  for (const [value, count] of counts) if (count > (counts.get(best) ?? 0)) best = value;
  return best;
}

/** The largest distance of a replica's share from an even share, in percentage points. */
export function roundRobinDeviation(hostnames: Record<string, number>, replicas: number): number {
  const counts = Object.values(hostnames);
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return Number.NaN;
  // A replica that got nothing is as far off as it gets.
  const shares = [...counts, ...Array(Math.max(0, replicas - counts.length)).fill(0)].map((n) => n / total);
  return Math.max(...shares.map((share) => Math.abs(share - 1 / replicas))) * 100;
}

export function meets(value: number, target: Target | null): boolean | null {
  if (!target || !Number.isFinite(value)) return null;
  return target.comparison === 'at least' ? value >= target.value : value < target.value;
}

interface FigureInput {
  id: string;
  item: number;
  name: string;
  unit: string;
  samples: number[];
  method: Method;
  target?: Target;
  limitedBy?: string;
  note?: string;
  decimals?: number;
}

function figure(input: FigureInput): Figure {
  const { samples, decimals = 3, target = null, ...rest } = input;
  const summary = summarize(samples);
  return {
    ...rest,
    median: round(summary.median, decimals),
    min: round(summary.min, decimals),
    max: round(summary.max, decimals),
    samples: samples.map((x) => round(x, decimals)),
    target,
    met: meets(summary.median, target),
  };
}

const LOADGEN = 'loadgen (the lab\u2019s autocannon CLI) in a container on the lab network';
const PROBE = 'latency probe (HTTP/1.1 keep-alive, \u00b5s clock) in a container on the lab network';

export function buildReport(m: Measurements, generatedAt: Date): PerfReport {
  const o = m.options;
  const reps = o.repetitions;
  const figures: Figure[] = [];
  const notes: string[] = [];

  // Item 1: the loop's cost, and the machine's limit from it.
  const serviceMs = median(m.serviceTime.map((run) => run.cpuMs));
  const loopMethod: Method = {
    tool: LOADGEN,
    target: `nginx to ${o.replicas} replicas with the busy loop; Server-Timing cpu;dur of every answer`,
    durationSeconds: o.latencyDuration,
    connections: 1,
    repetitions: reps,
  };
  figures.push(
    figure({
      id: 'service-time',
      item: 1,
      name: 'Busy loop, CPU per request (in process)',
      unit: 'ms',
      samples: m.serviceTime.map((run) => run.cpuMs),
      method: loopMethod,
    }),
    figure({
      id: 'machine-limit',
      item: 1,
      name: `Machine limit: ${m.cores} cores / service time`,
      unit: 'req/s',
      samples: m.serviceTime.map((run) => (m.cores * 1000) / run.cpuMs),
      method: loopMethod,
      decimals: 1,
    }),
  );

  // Item 2: saturated throughput against that limit and against what the lab may use.
  for (const replicas of replicaCounts(o.replicas)) {
    const runs = m.saturation.filter((run) => run.replicas === replicas);
    const method: Method = {
      tool: LOADGEN,
      target: `nginx to ${replicas} ${replicas === 1 ? 'replica' : 'replicas'} with the busy loop`,
      durationSeconds: o.duration,
      connections: o.connections,
      repetitions: reps,
    };
    const limitedBy = majority(runs.map((run) => saturationLimit(run, m.cores)));
    const cores = (pick: (run: SaturationRun) => number) => round(median(runs.map(pick)), 2);
    const expected = (run: SaturationRun) =>
      (Math.max(0, Math.min(replicas, m.cores - run.nginxCores - run.loadgenCores)) * 1000) / serviceMs;
    figures.push(
      figure({
        id: `throughput-${replicas}`,
        item: 2,
        name: `Throughput, ${replicas} ${replicas === 1 ? 'replica' : 'replicas'}`,
        unit: 'req/s',
        samples: runs.map((run) => run.rps),
        method,
        limitedBy,
        decimals: 1,
      }),
      figure({
        id: `of-machine-limit-${replicas}`,
        item: 2,
        name: `\u2026 as a fraction of the machine limit`,
        unit: '',
        samples: runs.map((run) => (run.rps * serviceMs) / (m.cores * 1000)),
        method,
      }),
      figure({
        id: `of-lab-limit-${replicas}`,
        item: 2,
        name: `\u2026 of min(replicas, cores left after nginx and load generator) / service time`,
        unit: '',
        samples: runs.map((run) => run.rps / expected(run)),
        method,
        target: { comparison: 'at least', value: 0.85 },
        limitedBy,
        note:
          `cores used (medians): replicas ${cores((r) => r.replicaCores)}, nginx ${cores((r) => r.nginxCores)}, ` +
          `load generator ${cores((r) => r.loadgenCores)}, other work on the machine ${cores((r) => r.otherCores)}`,
      }),
    );
    notes.push(
      `Item 2, ${replicas} ${replicas === 1 ? 'replica' : 'replicas'}: limited by ${limitedBy}; cores used (medians): ` +
        `replicas ${cores((r) => r.replicaCores)}, nginx ${cores((r) => r.nginxCores)}, load generator ` +
        `${cores((r) => r.loadgenCores)}, other work on the machine ${cores((r) => r.otherCores)}.`,
    );
  }

  // Item 3: hello without the loop against the seed, same load, same path, same run: under wrk,
  // which costs little per answer (the target), and under the lab's own load generator.
  if (m.seedWrk.length > 0) figures.push(...seedFigures(m.seedWrk, 'wrk', o, notes));
  else notes.push(`Item 3 under wrk not measured: ${m.skipped.seedWrk ?? 'no runs'}.`);
  figures.push(...seedFigures(m.seed, 'loadgen', o, notes));

  // Item 4: the proxy's cost in latency, and whether it keeps its connections to the replicas.
  figures.push(...proxyFigures(m.proxy, m.fairness, o, notes));

  // Item 5: the load generator's own ceiling.
  if (m.ceiling.length > 0) figures.push(...ceilingFigures(m.ceiling, o, notes));
  else notes.push(`Item 5 not measured: ${m.skipped.ceiling ?? 'no runs'}.`);

  // Item 6: round-robin fairness.
  figures.push(
    figure({
      id: 'round-robin-deviation',
      item: 6,
      name: `Round robin: largest deviation from an even share, ${o.replicas} replicas`,
      unit: '%',
      samples: m.fairness.map((run) => roundRobinDeviation(run.hostnames, o.replicas)),
      method: {
        tool: LOADGEN,
        target: `nginx to ${o.replicas} replicas without the loop; answers counted by X-Hostname`,
        durationSeconds: null,
        connections: o.connections,
        repetitions: reps,
        requests: o.fairnessRequests,
      },
      target: { comparison: 'under', value: 0.5 },
    }),
  );

  // Item 7: start-up.
  figures.push(
    figure({
      id: 'startup',
      item: 7,
      name: `Start-up: docker compose up --wait, ${o.replicas} replicas healthy (images built)`,
      unit: 's',
      samples: m.startup,
      method: {
        tool: `docker compose up -d --wait --scale hello=${o.replicas}, timed; down between repetitions`,
        target: 'the whole lab',
        durationSeconds: null,
        connections: null,
        repetitions: reps,
      },
      target: { comparison: 'under', value: 15 },
      decimals: 2,
    }),
  );

  return {
    generatedAt: generatedAt.toISOString(),
    quick: o.quick,
    machine: { cores: m.cores, versions: m.versions },
    project: o.project,
    startedAt: m.startedAt,
    finishedAt: m.finishedAt,
    figures,
    notes,
  };
}

/** Microseconds of the load tool's CPU per answer, from its cores and the answers a second. */
const loadgenUsPerAnswer = (run: ServerRun) =>
  run.rps === 0 ? Number.NaN : (run.loadgenCores / run.rps) * 1e6;

/** Microseconds of the server's own CPU per answer. */
const serverUsPerAnswer = (run: ServerRun) =>
  run.requestsPerCpuSecond === 0 ? Number.NaN : 1e6 / run.requestsPerCpuSecond;

/** How item 3 names and describes each load tool; only the runs under wrk carry the target. */
const SEED_TOOLS = {
  wrk: {
    tool: 'wrk -t1 on the host',
    path: 'in the driver’s namespace, by its address on the perf network',
    under: 'wrk',
    subject: 'wrk',
    cores: 'wrk',
    idPrefix: 'wrk-',
    target: { target: { comparison: 'at least' as const, value: 0.9 } },
  },
  loadgen: {
    tool: 'loadgen (the lab’s autocannon CLI) in the driver container, one core',
    path: 'on the driver’s loopback',
    under: 'the lab’s load generator',
    subject: 'The load generator',
    cores: 'load generator',
    idPrefix: '',
    target: {},
  },
};

/**
 * Item 3 under one load tool. Under wrk the ratios carry the target: wrk spends a fraction of
 * what a server spends per answer, so the figures are the servers' own. The lab's load generator
 * spends more per answer than either server, and more on an answer with more headers; how it
 * paces its connections then moves the servers' CPU per answer too, so its ratios are shown
 * beside, without the target.
 */
function seedFigures(
  runs: SeedRun[],
  tool: 'wrk' | 'loadgen',
  o: Measurements['options'],
  notes: string[],
): Figure[] {
  const t = SEED_TOOLS[tool];
  const limit = runs[0]?.seed.serverLimit ?? '?';
  const method: Method = {
    tool: t.tool,
    target: `one server at a time ${t.path}, ${limit} core each, WORK_ITERATIONS=0; order alternates`,
    durationSeconds: o.duration,
    connections: o.serverConnections,
    repetitions: o.repetitions,
  };
  const limitedBy = majority(
    runs.map((run) => {
      const limits = [serverLimit(run.seed), serverLimit(run.hello)];
      return limits.includes('load generator')
        ? 'load generator'
        : limits.includes('server')
          ? 'server'
          : (limits[0] ?? '');
    }),
  );
  const cores = (pick: (run: SeedRun) => number) => round(median(runs.map(pick)), 2);
  const servers =
    `seed server ${cores((r) => r.seed.serverCores)}, hello server ${cores((r) => r.hello.serverCores)}. ` +
    'Requests per CPU-second of the server process is the servers’ own cost, whatever limits the run.';
  const perAnswer = (us: (run: ServerRun) => number, pick: (run: SeedRun) => ServerRun) =>
    round(median(runs.map((r) => us(pick(r)))), 1);
  notes.push(
    `Item 3 under ${t.under}: limited by ${limitedBy}; cores used (medians): ${t.cores} ` +
      `${cores((r) => r.seed.loadgenCores)} with the seed, ${cores((r) => r.hello.loadgenCores)} with hello; ${servers} ` +
      `${t.subject} spent ${perAnswer(loadgenUsPerAnswer, (r) => r.seed)} µs of CPU per answer of the seed and ` +
      `${perAnswer(loadgenUsPerAnswer, (r) => r.hello)} µs per answer of hello; the servers themselves ` +
      `${perAnswer(serverUsPerAnswer, (r) => r.seed)} and ${perAnswer(serverUsPerAnswer, (r) => r.hello)} µs.`,
  );
  const id = (name: string) => `${t.idPrefix}${name}`;
  const under = `, under ${t.under}`;
  const { target } = t;
  return [
    figure({
      id: id('seed-rps'),
      item: 3,
      name: `Seed (bare node:http), requests/s${under}`,
      unit: 'req/s',
      samples: runs.map((r) => r.seed.rps),
      method,
      limitedBy,
      decimals: 1,
    }),
    figure({
      id: id('hello-rps'),
      item: 3,
      name: `hello, WORK_ITERATIONS=0, requests/s${under}`,
      unit: 'req/s',
      samples: runs.map((r) => r.hello.rps),
      method,
      limitedBy,
      decimals: 1,
    }),
    figure({
      id: id('hello-seed-rps-ratio'),
      item: 3,
      name: `hello / seed, requests/s${under}`,
      unit: '',
      samples: runs.map((r) => r.hello.rps / r.seed.rps),
      method,
      ...target,
      limitedBy,
    }),
    figure({
      id: id('seed-per-cpu-second'),
      item: 3,
      name: `Seed, requests per CPU-second of the server${under}`,
      unit: 'req/CPU-s',
      samples: runs.map((r) => r.seed.requestsPerCpuSecond),
      method,
      decimals: 0,
    }),
    figure({
      id: id('hello-per-cpu-second'),
      item: 3,
      name: `hello, requests per CPU-second of the server${under}`,
      unit: 'req/CPU-s',
      samples: runs.map((r) => r.hello.requestsPerCpuSecond),
      method,
      decimals: 0,
    }),
    figure({
      id: id('hello-seed-cpu-ratio'),
      item: 3,
      name: `hello / seed, requests per CPU-second${under}`,
      unit: '',
      samples: runs.map((r) => r.hello.requestsPerCpuSecond / r.seed.requestsPerCpuSecond),
      method,
      ...target,
    }),
  ];
}

function proxyFigures(
  runs: ProxyRun[],
  fairness: FairnessRun[],
  o: Measurements['options'],
  notes: string[],
): Figure[] {
  const figures: Figure[] = [];
  for (const connections of [...new Set(runs.map((run) => run.connections))]) {
    const at = runs.filter((run) => run.connections === connections);
    const method: Method = {
      tool: PROBE,
      target:
        'one replica without the loop: directly, through the lab’s nginx, through a bare nginx; ' +
        'each repetition starts with another',
      durationSeconds: o.latencyDuration,
      connections,
      repetitions: o.repetitions,
    };
    const ms = (pick: (run: ProxyRun) => number) => round(median(at.map(pick)), 3);
    const note =
      `medians: p50 ${ms((r) => r.direct.p50Ms)} ms direct, ${ms((r) => r.nginx.p50Ms)} ms through nginx, ` +
      `${ms((r) => r.bare.p50Ms)} ms through a bare nginx; p99 ${ms((r) => r.direct.p99Ms)} ms direct, ` +
      `${ms((r) => r.nginx.p99Ms)} ms through nginx, ${ms((r) => r.bare.p99Ms)} ms through a bare nginx`;
    const suffix = `${connections} ${connections === 1 ? 'connection' : 'connections'}`;
    const added = (path: 'nginx' | 'bare', p: 'p50Ms' | 'p99Ms') =>
      at.map((run) => run[path][p] - run.direct[p]);
    const nginxP50 = added('nginx', 'p50Ms');
    const bareP50 = added('bare', 'p50Ms');
    const overBare = at.map((run) => run.nginx.p50Ms - run.bare.p50Ms);
    figures.push(
      figure({
        id: `proxy-p50-added-${connections}`,
        item: 4,
        name: `nginx’s added latency, p50, ${suffix}`,
        unit: 'ms',
        samples: nginxP50,
        method,
        target: { comparison: 'under', value: 0.3 },
        note,
      }),
      figure({
        id: `proxy-p99-added-${connections}`,
        item: 4,
        name: `nginx’s added latency, p99, ${suffix}`,
        unit: 'ms',
        samples: added('nginx', 'p99Ms'),
        method,
        note,
      }),
      figure({
        id: `bare-p50-added-${connections}`,
        item: 4,
        name: `… a bare nginx’s added latency, p50, ${suffix} (perf/nginx-bare.conf)`,
        unit: 'ms',
        samples: bareP50,
        method,
      }),
      figure({
        id: `proxy-p50-over-bare-${connections}`,
        item: 4,
        name: `… the lab’s nginx against the bare one, p50, ${suffix}`,
        unit: 'ms',
        samples: overBare,
        method,
      }),
    );
    notes.push(
      `Item 4, ${suffix}: at p50 the lab’s nginx added ${round(median(nginxP50), 3)} ms ` +
        `and a bare nginx ${round(median(bareP50), 3)} ms in the same run: the lab’s ` +
        `configuration cost ${round(median(overBare), 3)} ms of it, any nginx on this machine the rest.`,
    );
  }
  figures.push(
    figure({
      id: 'new-connections-per-1000',
      item: 4,
      name: 'New connections to the replicas per 1000 requests through nginx',
      unit: 'per 1000',
      samples: fairness.map((run) =>
        run.requests > 0 ? (run.newConnections / run.requests) * 1000 : Number.NaN,
      ),
      method: {
        tool: `${LOADGEN}; http_connections_total of each replica before and after`,
        target: `nginx to ${o.replicas} replicas without the loop`,
        durationSeconds: null,
        connections: o.connections,
        repetitions: o.repetitions,
        requests: o.fairnessRequests,
      },
      target: { comparison: 'under', value: 5 },
    }),
  );
  return figures;
}

function ceilingFigures(runs: CeilingRun[], o: Measurements['options'], notes: string[]): Figure[] {
  const seconds = o.duration;
  const method: Method = {
    tool: 'wrk -t1 and loadgen (the lab\u2019s autocannon CLI) on the host, alternating',
    target: 'a trivial node:http server on loopback that answers "ok"',
    durationSeconds: seconds,
    connections: o.serverConnections,
    repetitions: o.repetitions,
  };
  const limitedBy = majority(runs.map(ceilingLimit));
  const cores = (pick: (run: CeilingRun) => number) => round(median(runs.map(pick)), 2);
  notes.push(
    `Item 5: the load generator used ${cores((r) => r.loadgen.loadgenCores)} cores and wrk ` +
      `${cores((r) => r.wrk.wrkCores)} (each runs on one); the target used ` +
      `${cores((r) => r.loadgen.targetCores)} cores under the load generator and ${cores((r) => r.wrk.targetCores)} under wrk. ` +
      `Limited by ${limitedBy}.`,
  );
  return [
    figure({
      id: 'wrk-rps',
      item: 5,
      name: 'wrk, requests/s',
      unit: 'req/s',
      samples: runs.map((r) => r.wrk.rps),
      method,
      decimals: 1,
    }),
    figure({
      id: 'loadgen-rps',
      item: 5,
      name: 'loadgen, requests/s',
      unit: 'req/s',
      samples: runs.map((r) => r.loadgen.rps),
      method,
      limitedBy,
      decimals: 1,
    }),
    figure({
      id: 'loadgen-wrk-ratio',
      item: 5,
      name: 'loadgen / wrk, requests/s',
      unit: '',
      samples: runs.map((r) => r.loadgen.rps / r.wrk.rps),
      method,
      target: { comparison: 'at least', value: 0.7 },
      limitedBy,
    }),
  ];
}
