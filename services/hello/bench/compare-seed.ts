// Requests per second of the hello service against the seed's bare node:http server, measured
// side by side in one run on loopback, with the busy loop off in both (WORK_ITERATIONS=0 by
// default). Prints the median of several alternating rounds, with min and max, and the ratios.
//   npm run bench -w services/hello -- --duration 5 --connections 50 --rounds 3
//
// Two figures per server. Requests/s is what autocannon saw; on a small machine autocannon itself
// can be the limit, and then both servers show its ceiling. Requests per CPU-second of the server
// process (from /proc) is the server's own capacity, whatever limits the run: the fairer ratio.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { processCpuSeconds } from '@hello-lab/shared/cpu-time';
import {
  type OptionSpecs,
  optionHelp,
  readOptions,
  UsageError,
  wantsHelp,
  wholeNumber,
} from '@hello-lab/shared/options';
import autocannon from 'autocannon';
import { NODE_FLAGS } from '../src/defaults.js';

const DEFAULTS = { duration: 5, connections: 50, rounds: 3, workIterations: 0 };

const whole = (min: number, max: number) => ({
  allowed: `a whole number from ${min} to ${max}`,
  parse: wholeNumber(min, max),
});

// As in the lab's other programs: a flag, else its variable, else the default.
const SPECS: OptionSpecs<typeof DEFAULTS> = {
  duration: {
    env: 'BENCH_DURATION',
    value: '<seconds>',
    help: 'seconds per round and server',
    ...whole(1, 600),
  },
  connections: { env: 'BENCH_CONNECTIONS', value: '<n>', help: 'autocannon connections', ...whole(1, 1000) },
  rounds: {
    env: 'BENCH_ROUNDS',
    value: '<n>',
    help: 'rounds, alternating which server goes first',
    ...whole(1, 100),
  },
  // The range hello's config accepts; both servers get the same value.
  workIterations: {
    env: 'BENCH_WORK_ITERATIONS',
    value: '<n>',
    help: 'WORK_ITERATIONS of both servers (0: the busy loop off)',
    ...whole(0, 1e10),
  },
};

const argv = process.argv.slice(2);
if (wantsHelp(argv)) {
  const usage = 'Usage: npm run bench -w services/hello -- [options]';
  console.log([usage, '', 'Options:', ...optionHelp(SPECS, DEFAULTS, 28)].join('\n'));
  process.exit(0);
}
let options: typeof DEFAULTS;
try {
  options = { ...DEFAULTS, ...readOptions(SPECS, argv, process.env, '--duration=5').given };
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`bench: ${error.message}`);
  process.exit(2);
}
const { duration, connections, rounds, workIterations } = options;

async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as { port: number };
  probe.close();
  return port;
}

const children: ChildProcess[] = [];
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

interface Target {
  url: string;
  pid: number;
}

async function start(script: string, nodeFlags: readonly string[] = []): Promise<Target> {
  const port = await freePort();
  const env = {
    PATH: process.env.PATH,
    HOST: '127.0.0.1',
    PORT: String(port),
    WORK_ITERATIONS: String(workIterations),
    LOG_LEVEL: 'warn',
  };
  const child = spawn(process.execPath, [...nodeFlags, fileURLToPath(new URL(script, import.meta.url))], {
    env,
    stdio: 'inherit',
  });
  children.push(child);
  const url = `http://127.0.0.1:${port}/`;
  for (let tries = 0; tries < 100; tries++) {
    const up = await fetch(url).then(
      (res) => res.ok,
      () => false,
    );
    if (up) return { url, pid: child.pid as number };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${script} did not start`);
}

interface Measurement {
  rps: number;
  perCpuSecond: number;
}

async function measure({ url, pid }: Target, seconds: number): Promise<Measurement> {
  const cpuBefore = await processCpuSeconds(pid);
  const result = await autocannon({ url, connections, duration: seconds });
  const cpu = (await processCpuSeconds(pid)) - cpuBefore;
  const answered = result['2xx'] + result.non2xx;
  return { rps: answered / (result.duration || seconds), perCpuSecond: cpu > 0 ? answered / cpu : 0 };
}

const targets = {
  seed: await start('./seed-server.js'),
  // As the image starts it; the seed gets Node's defaults, as the seed's own image would.
  hello: await start('../dist/server.js', NODE_FLAGS),
};
const results: Record<keyof typeof targets, Measurement[]> = { seed: [], hello: [] };
for (const target of Object.values(targets)) await measure(target, 1); // warm-up: JIT and connections

for (let round = 0; round < rounds; round++) {
  // Alternate the order so that drift on a shared machine hits both servers alike.
  const order = (round % 2 === 0 ? ['seed', 'hello'] : ['hello', 'seed']) as (keyof typeof targets)[];
  for (const name of order) results[name].push(await measure(targets[name], duration));
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
const figures = (xs: number[]) =>
  [median(xs), Math.min(...xs), Math.max(...xs)].map((x) => x.toFixed(0).padStart(9)).join(' ');
const row = (name: string, ms: Measurement[]) =>
  `${name.padEnd(7)} ${figures(ms.map((m) => m.rps))}   ${figures(ms.map((m) => m.perCpuSecond))}`;
const ratioOf = (pick: (m: Measurement) => number) =>
  median(results.hello.map(pick)) / median(results.seed.map(pick));

console.log(
  `autocannon, ${connections} connections, ${duration} s x ${rounds} rounds each (median, min, max), ` +
    `WORK_ITERATIONS=${workIterations}, loopback, Node ${process.version}`,
);
// Both servers run on this machine's Node. The image runs Node 24: an older Node lacks what hello
// asks of it (requests without a body that start ended, Node 24.12 and later), so its figure here
// is not the image's.
if (Number(process.versions.node.split('.')[0]) < 24)
  console.log('(the image runs Node 24; `make perf` measures the image itself against the seed)');
console.log('                     requests/s                requests per CPU-second of the server');
console.log('server     median       min       max      median       min       max');
console.log(row('seed', results.seed));
console.log(row('hello', results.hello));
console.log(`ratio hello/seed, requests/s:              ${ratioOf((m) => m.rps).toFixed(3)}`);
console.log(
  `ratio hello/seed, requests per CPU-second: ${ratioOf((m) => m.perCpuSecond).toFixed(3)} (target: at least 0.9)`,
);
process.exit(0);
