// hello against the seed under one load tool. Under wrk the ratios carry the target: wrk spends a
// fraction of what a server spends per answer, so the figures are the servers' own. The lab's load
// generator spends more per answer than either server, and more on an answer with more headers;
// how it paces its connections then moves the servers' CPU per answer too, so its ratios are shown
// beside, without the target.
import type { Measurements, SeedRun, ServerRun } from '../measurements.js';
import { median, round } from '../summary.js';
import { TARGETS } from '../targets.js';
import { figure, itemLabel, type Section } from './figure.js';
import { majority, seedLimit } from './limits.js';

/** How the report names and describes each load tool; only the runs under wrk carry the target. */
const SEED_TOOLS = {
  wrk: {
    tool: 'wrk -t1 on the host',
    path: 'in the driver’s namespace, by its address on the perf network',
    under: 'wrk',
    subject: 'wrk',
    cores: 'wrk',
    idPrefix: 'wrk-',
    target: TARGETS.helloOverSeed,
  },
  loadgen: {
    tool: 'loadgen (the lab’s autocannon CLI) in the driver container, one core',
    path: 'on the driver’s loopback',
    under: 'the lab’s load generator',
    subject: 'The load generator',
    cores: 'load generator',
    idPrefix: '',
    target: undefined,
  },
};

export type SeedTool = keyof typeof SEED_TOOLS;

/** Microseconds of the load tool's CPU per answer, from its cores and the answers a second. */
const loadgenUsPerAnswer = (run: ServerRun) =>
  run.rps === 0 ? Number.NaN : (run.loadgenCores / run.rps) * 1e6;

/** Microseconds of the server's own CPU per answer. */
const serverUsPerAnswer = (run: ServerRun) =>
  run.requestsPerCpuSecond === 0 ? Number.NaN : 1e6 / run.requestsPerCpuSecond;

export function helloAgainstSeedSection(
  runs: SeedRun[],
  toolName: SeedTool,
  options: Measurements['options'],
): Section {
  const tool = SEED_TOOLS[toolName];
  const limit = runs[0]?.seed.serverLimit ?? '?';
  const method = {
    tool: tool.tool,
    target: `one server at a time ${tool.path}, ${limit} core each, WORK_ITERATIONS=0; order alternates`,
    durationSeconds: options.duration,
    connections: options.serverConnections,
    repetitions: options.repetitions,
  };
  const limitedBy = majority(runs.map(seedLimit));
  const cores = (pick: (run: SeedRun) => number) => round(median(runs.map(pick)), 2);
  const perAnswer = (us: (run: ServerRun) => number, server: 'seed' | 'hello') =>
    round(median(runs.map((run) => us(run[server]))), 1);
  const note =
    `${itemLabel('helloAgainstSeed')} under ${tool.under}: limited by ${limitedBy}; cores used (medians): ` +
    `${tool.cores} ${cores((run) => run.seed.loadgenCores)} with the seed, ` +
    `${cores((run) => run.hello.loadgenCores)} with hello; seed server ${cores((run) => run.seed.serverCores)}, ` +
    `hello server ${cores((run) => run.hello.serverCores)}. Requests per CPU-second of the server process is ` +
    `the servers’ own cost, whatever limits the run. ${tool.subject} spent ` +
    `${perAnswer(loadgenUsPerAnswer, 'seed')} µs of CPU per answer of the seed and ` +
    `${perAnswer(loadgenUsPerAnswer, 'hello')} µs per answer of hello; the servers themselves ` +
    `${perAnswer(serverUsPerAnswer, 'seed')} and ${perAnswer(serverUsPerAnswer, 'hello')} µs.`;
  // Every figure of the section is one of these: which, and what it shows beside the numbers.
  const seedFigure = (
    name: string,
    label: string,
    unit: string,
    sample: (run: SeedRun) => number,
    extra: { target?: typeof tool.target; limitedBy?: string; decimals?: number },
  ) =>
    figure({
      id: `${tool.idPrefix}${name}`,
      item: 'helloAgainstSeed',
      name: `${label}, under ${tool.under}`,
      unit,
      samples: runs.map(sample),
      method,
      ...extra,
    });
  const { target } = tool;
  return {
    figures: [
      seedFigure('seed-rps', 'Seed (bare node:http), requests/s', 'req/s', (run) => run.seed.rps, {
        limitedBy,
        decimals: 1,
      }),
      seedFigure('hello-rps', 'hello, WORK_ITERATIONS=0, requests/s', 'req/s', (run) => run.hello.rps, {
        limitedBy,
        decimals: 1,
      }),
      seedFigure(
        'hello-seed-rps-ratio',
        'hello / seed, requests/s',
        '',
        (run) => run.hello.rps / run.seed.rps,
        {
          target,
          limitedBy,
        },
      ),
      seedFigure(
        'seed-per-cpu-second',
        'Seed, requests per CPU-second of the server',
        'req/CPU-s',
        (run) => run.seed.requestsPerCpuSecond,
        { decimals: 0 },
      ),
      seedFigure(
        'hello-per-cpu-second',
        'hello, requests per CPU-second of the server',
        'req/CPU-s',
        (run) => run.hello.requestsPerCpuSecond,
        { decimals: 0 },
      ),
      seedFigure(
        'hello-seed-cpu-ratio',
        'hello / seed, requests per CPU-second',
        '',
        (run) => run.hello.requestsPerCpuSecond / run.seed.requestsPerCpuSecond,
        { target },
      ),
    ],
    notes: [note],
  };
}
