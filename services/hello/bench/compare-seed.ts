// Requests per second of the hello service against the seed's bare node:http server, measured
// side by side in one run on loopback, with the busy loop off in both (WORK_ITERATIONS=0 by
// default). Prints the median of several alternating rounds, with min and max, and the ratio.
//   npm run bench -w services/hello -- --duration 5 --connections 50 --rounds 3
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '5' },
    connections: { type: 'string', default: '50' },
    rounds: { type: 'string', default: '3' },
    'work-iterations': { type: 'string', default: '0' },
  },
});
const duration = Number(values.duration);
const connections = Number(values.connections);
const rounds = Number(values.rounds);
for (const [name, value] of Object.entries({ duration, connections, rounds })) {
  if (!Number.isInteger(value) || value < 1) {
    console.error(
      `bench: --${name} must be a whole number of at least 1, got ${JSON.stringify(values[name as keyof typeof values])}`,
    );
    process.exit(2);
  }
}

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

async function start(script: string): Promise<string> {
  const port = await freePort();
  const env = {
    PATH: process.env.PATH,
    HOST: '127.0.0.1',
    PORT: String(port),
    WORK_ITERATIONS: values['work-iterations'],
    LOG_LEVEL: 'warn',
  };
  children.push(
    spawn(process.execPath, [fileURLToPath(new URL(script, import.meta.url))], { env, stdio: 'inherit' }),
  );
  const url = `http://127.0.0.1:${port}/`;
  for (let tries = 0; tries < 100; tries++) {
    if (
      await fetch(url).then(
        (res) => res.ok,
        () => false,
      )
    )
      return url;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${script} did not start`);
}

const measure = async (url: string, seconds: number) =>
  (await autocannon({ url, connections, duration: seconds })).requests.average;

const targets = {
  seed: await start('./seed-server.js'),
  hello: await start('../dist/server.js'),
};
const results: Record<keyof typeof targets, number[]> = { seed: [], hello: [] };
for (const url of Object.values(targets)) await measure(url, 1); // warm-up: JIT and connections

for (let round = 0; round < rounds; round++) {
  // Alternate the order so that drift on a shared machine hits both servers alike.
  const order = (round % 2 === 0 ? ['seed', 'hello'] : ['hello', 'seed']) as (keyof typeof targets)[];
  for (const name of order) results[name].push(await measure(targets[name], duration));
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};
const row = (name: string, xs: number[]) =>
  `${name.padEnd(7)} ${median(xs).toFixed(0).padStart(9)} ${Math.min(...xs)
    .toFixed(0)
    .padStart(9)} ${Math.max(...xs)
    .toFixed(0)
    .padStart(9)}`;

console.log(
  `autocannon, ${connections} connections, ${duration} s x ${rounds} rounds each, WORK_ITERATIONS=${values['work-iterations']}, loopback`,
);
console.log(`server  median r/s     min r/s   max r/s`);
console.log(row('seed', results.seed));
console.log(row('hello', results.hello));
const ratio = median(results.hello) / median(results.seed);
console.log(`ratio hello/seed: ${ratio.toFixed(3)} (target: at least 0.9)`);
process.exit(0);
