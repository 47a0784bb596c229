// The lab on a swarm of three Docker-in-Docker nodes (make cluster-up NODES=3), with the Make
// targets the README gives: replicas spread over the nodes and each answer naming its node, a
// node added and given replicas by a scale, a node drained and one killed under load, the same
// kill without nginx's retries as the control, and a teardown that leaves nothing behind.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUERIES } from '../../services/dashboard/src/queries.js';
import {
  backgroundTraffic,
  clusterFile,
  eventually,
  labEnv,
  PORT,
  PROJECT,
  ROOT,
  run,
  type Tally,
  tally,
} from './lab.js';

const CLUSTER = `${PROJECT}-cluster`;
const HTTP_PORT = PORT + 110;
const CLUSTER_URL = `http://127.0.0.1:${HTTP_PORT}`;
const HELLO = 'hello-lab_hello';
const env = {
  ...labEnv,
  // Each step of a rollout watches its new task for 3 s instead of 10 s, as in swarm.test.ts.
  SWARM_MONITOR: '3s',
  CLUSTER,
  CLUSTER_HTTP_PORT: String(HTTP_PORT),
  CLUSTER_REGISTRY_PORT: String(HTTP_PORT + 1),
};
const makeHere = async (...args: string[]) =>
  (await run('make', ['--no-print-directory', ...args], env)).stdout.trim();
const docker = async (...args: string[]) => (await run('docker', args, env)).stdout.trim();
const lines = (text: string) => text.split('\n').filter(Boolean);
const node = (n: number) => `${CLUSTER}-node-${n}`;
/** The docker client of the manager, node 1. */
const manager = (...args: string[]) => docker('exec', node(1), 'docker', ...args);

/** Running hello tasks by node: { "…-node-2": 1, ... }; a task still starting counts as none. */
async function tasksByNode(): Promise<Record<string, number>> {
  const tasks = lines(
    await manager(
      'service',
      'ps',
      '--filter',
      'desired-state=running',
      '--format',
      '{{.Node}} {{.CurrentState}}',
      HELLO,
    ),
  );
  const counts: Record<string, number> = {};
  for (const [name, state] of tasks.map((task) => task.split(' '))) {
    if (state === 'Running') counts[name as string] = (counts[name as string] ?? 0) + 1;
  }
  return counts;
}
const replicas = async () =>
  Number(await manager('service', 'inspect', '--format', '{{.Spec.Mode.Replicated.Replicas}}', HELLO));
/** Every replica running, and none on `name`. */
async function runningWithout(name: string): Promise<boolean> {
  const counts = await tasksByNode();
  const running = Object.values(counts).reduce((a, b) => a + b, 0);
  return running === (await replicas()) && counts[name] === undefined;
}

/** The node in an answer's X-Hostname, which the stack sets to the node's name and the task's slot. */
const nodeOf = (hostname: string) => hostname.replace(/-\d+$/, '');
const answeringNodes = (seen: Tally) => new Set(Object.keys(seen.hostnames).map(nodeOf));
const failures = (seen: Tally) =>
  Object.entries(seen.statuses)
    .filter(([status]) => status !== '200')
    .reduce((sum, [, count]) => sum + count, 0);
const total = (seen: Tally) => Object.values(seen.statuses).reduce((a, b) => a + b, 0);

/** The node numbers other than the manager's that run a hello task, busiest first. */
async function busyWorkers(): Promise<number[]> {
  const counts = await tasksByNode();
  return Object.entries(counts)
    .filter(([name]) => name !== node(1))
    .sort(([, a], [, b]) => b - a)
    .map(([name]) => Number(name.slice(node(0).length - 1)));
}

/** Two bounded request loops through the cluster's nginx while `operation` runs. */
async function underLoad(operation: () => Promise<string>): Promise<{ seen: Tally; line: string }> {
  const loads = [0, 1].map(() => backgroundTraffic(20_000, 150_000, CLUSTER_URL));
  const stopped = async () => {
    const seen: Tally = { hostnames: {}, statuses: {} };
    for (const part of await Promise.all(loads.map((load) => load.stop())))
      for (const [status, count] of Object.entries(part.statuses))
        seen.statuses[status] = (seen.statuses[status] ?? 0) + count;
    return seen;
  };
  let line: string;
  try {
    line = await operation();
  } catch (error) {
    await stopped();
    throw error;
  }
  return { seen: await stopped(), line };
}

/** The nodes of the live view's chart by node: its query, asked of the cluster's Prometheus now. */
async function liveNodes(): Promise<string[]> {
  const url = `${CLUSTER_URL}/lab/api/v1/query?query=${encodeURIComponent(QUERIES.nodes)}`;
  const body = await (await fetch(url, { signal: AbortSignal.timeout(15_000) })).json();
  return (body.data?.result ?? [])
    .filter((series: { value: [number, string] }) => Number(series.value[1]) > 0)
    .map((series: { metric: { node: string } }) => series.metric.node)
    .sort();
}

/** make cluster-bench, running: its progress lines counted as they come, and its exit code. */
function benchInBackground(...settings: string[]) {
  const child = spawn('make', ['--no-print-directory', 'cluster-bench', ...settings], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: string) => {
    output += chunk;
  };
  child.stdout.setEncoding('utf8').on('data', collect);
  child.stderr.setEncoding('utf8').on('data', collect);
  const exit = new Promise<number | null>((resolve) => child.on('close', resolve));
  return {
    exit,
    output: () => output,
    progressLines: () => (output.match(/^measure +\d+ s/gm) ?? []).length,
  };
}

/** Everything the cluster makes carries its label or its name. */
async function leftovers(): Promise<string[]> {
  const label = `label=hello-lab.cluster=${CLUSTER}`;
  const lists = await Promise.all([
    docker('ps', '-a', '--format', '{{.Names}}', '--filter', label),
    docker('ps', '-a', '--format', '{{.Names}}', '--filter', `name=${CLUSTER}-`),
    docker('volume', 'ls', '-q', '--filter', label),
    docker('volume', 'ls', '-q', '--filter', `name=${CLUSTER}-`),
    docker('network', 'ls', '--format', '{{.Name}}', '--filter', `name=${CLUSTER}-`),
  ]);
  return lists.flatMap(lines);
}

let nodeIds = '';
/**
 * The version rolled out to. Not the 2 of the README: `make cluster-up` pushes only the version it
 * starts with, and the rollout has to push the new one itself. Removed again at the end if this
 * file built it (as `make clean` would).
 */
const NEXT = '3';
const NEXT_IMAGE = `hello-web:v${NEXT}`;
let hadNext = true;
beforeAll(async () => {
  clusterFile.starts();
  hadNext = (await run('docker', ['image', 'ls', '-q', NEXT_IMAGE])).stdout.trim() !== '';
  // A cluster left by an interrupted earlier run would skew the counts.
  await makeHere('cluster-down');
  await makeHere('cluster-up', 'NODES=3');
  nodeIds = await manager('node', 'ls', '-q');
});

afterAll(async () => {
  try {
    await makeHere('cluster-down');
  } finally {
    clusterFile.ends();
    if (!hadNext) await run('docker', ['image', 'rm', NEXT_IMAGE]).catch(() => undefined);
  }
});

describe('the lab on a swarm of three Docker nodes', () => {
  it('spreads the replicas over the nodes, and each answer names the node it came from', async () => {
    const counts = await tasksByNode();
    expect(Object.keys(counts).length, JSON.stringify(counts)).toBeGreaterThanOrEqual(2);
    const seen = await tally(60, '/', undefined, CLUSTER_URL);
    expect(seen.statuses).toEqual({ 200: 60 });
    for (const hostname of Object.keys(seen.hostnames)) expect(hostname).toMatch(/-node-[1-3]-\d+$/);
    // The nodes that answer are the nodes the manager placed the tasks on.
    expect([...answeringNodes(seen)].sort()).toEqual(Object.keys(counts).sort());
    // Each answer's X-Node is the node its task runs on (NODE_NAME from the stack).
    for (let i = 0; i < 12; i++) {
      const res = await fetch(CLUSTER_URL, { signal: AbortSignal.timeout(15_000) });
      await res.arrayBuffer();
      expect(res.headers.get('x-node')).toBe(nodeOf(res.headers.get('x-hostname') ?? ''));
    }
  });

  it('changes nothing when started again (make cluster-up twice)', async () => {
    const tasks = await manager('service', 'ps', '-q', HELLO);
    await makeHere('cluster-up', 'NODES=3');
    expect(await manager('node', 'ls', '-q')).toBe(nodeIds);
    expect(await manager('service', 'ps', '-q', HELLO)).toBe(tasks);
  });

  it('adds a node, which a scale gives replicas (make node-add, make cluster-scale)', async () => {
    const line = await makeHere('node-add');
    expect(line).toMatch(new RegExp(`^node-add: ${node(4)} joined the swarm in [\\d.]+ s`, 'm'));
    expect(await makeHere('cluster-ps')).toMatch(new RegExp(`${node(4)} +Ready +Active`));
    // Swarm puts a new task on a node with the fewest of them: one more replica for each node
    // without any reaches every such node, the new one among them.
    const counts = await tasksByNode();
    const empty = [1, 2, 3, 4].filter((n) => counts[node(n)] === undefined).length;
    expect(empty).toBeGreaterThanOrEqual(1);
    await makeHere('cluster-scale', `N=${(await replicas()) + empty}`);
    expect((await tasksByNode())[node(4)], JSON.stringify(await tasksByNode())).toBeGreaterThanOrEqual(1);
    let seen: Tally | undefined;
    const answers = await eventually(async () => {
      seen = await tally(40, '/', undefined, CLUSTER_URL);
      return answeringNodes(seen).has(node(4));
    }, 60_000);
    expect(answers, JSON.stringify(seen)).toBe(true);
  });

  it('drains a node under make cluster-bench with no failed request: its tasks end up on the others, the report marks the drain and counts by node', async () => {
    const [victim] = await busyWorkers();
    expect(victim).toBeDefined();
    const name = node(victim as number);
    const reports = await mkdtemp(join(tmpdir(), 'hello-lab-cluster-reports-'));
    try {
      // Long enough for any drain; stopped once the drain is done, as Ctrl-C would stop it.
      const bench = benchInBackground('DURATION=180', 'CONNECTIONS=4', `REPORTS=${reports}`);
      // The drain starts once the bench measures (the load generator writes this file then).
      const measuring = () => existsSync(join(reports, 'bench-measuring.json'));
      expect(await eventually(async () => measuring(), 120_000), 'the bench measuring').toBe(true);
      // The live view's answers by node, from the cluster's own Prometheus under load: every node
      // that runs a replica.
      const placed = Object.keys(await tasksByNode()).sort();
      expect(await eventually(async () => (await liveNodes()).join() === placed.join(), 30_000)).toBe(true);
      const line = await makeHere('node-drain', `NODE=${victim}`, `REPORTS=${reports}`);
      expect(line).toMatch(new RegExp(`^node-drain: ${name} drained in [\\d.]+ s`, 'm'));
      expect(await runningWithout(name)).toBe(true);
      // Two more of its progress lines (one each 5 s) measured after the drain, then it stops.
      const before = bench.progressLines();
      expect(await eventually(async () => bench.progressLines() >= before + 2, 60_000)).toBe(true);
      await docker('kill', '--signal', 'INT', `${CLUSTER}-bench`);
      // The load generator exits 130 once interrupted, after writing its report; make then fails.
      expect(await bench.exit, bench.output()).not.toBe(0);
      expect(bench.output()).toMatch(/Error 130/);
      const report = JSON.parse(await readFile(join(reports, 'bench-latest.json'), 'utf8'));
      const kinds = report.events.map((event: { kind: string }) => event.kind);
      expect(kinds).toEqual(expect.arrayContaining(['node-drain', 'node-drained']));
      expect(report.requests.total).toBeGreaterThan(0);
      expect(report.requests.non2xx + report.requests.errors, JSON.stringify(report.statusCodes)).toBe(0);
      // Answers by replica, each named by its node, and by node (X-Node): the drained one among
      // them before the drain, and in no second after it.
      const hostnames = Object.keys(report.hostnames);
      for (const hostname of hostnames) expect(hostname).toMatch(/-node-[1-4]-\d+$/);
      expect(hostnames.map(nodeOf)).toContain(name);
      expect(Object.keys(report.nodes).sort()).toEqual([...new Set(hostnames.map(nodeOf))].sort());
      const doneAt = report.events.find((event: { kind: string }) => event.kind === 'node-drained').atSeconds;
      const after = report.timeline.filter((second: { second: number }) => second.second > doneAt + 1);
      expect(after.length, 'seconds measured after the drain').toBeGreaterThan(0);
      for (const second of after) expect(second.nodes[name], `second ${second.second}`).toBeUndefined();
    } finally {
      // A bench that a failure left running stops with the test.
      await docker('rm', '-f', `${CLUSTER}-bench`).catch(() => undefined);
      await rm(reports, { recursive: true, force: true });
    }
    expect(await makeHere('node-back', `NODE=${victim}`)).toMatch(/^node-back: .* ready and active after/m);
  });

  it(`rolls the replicas over to v${NEXT} and back (make cluster-rollout, make cluster-rollback)`, async () => {
    /** The X-Version of 30 answers, each version once. */
    const versions = async () => {
      const seen = new Set<string>();
      for (let i = 0; i < 30; i++) {
        const res = await fetch(CLUSTER_URL, { signal: AbortSignal.timeout(15_000) }).catch(() => undefined);
        await res?.arrayBuffer();
        seen.add(res?.ok ? (res.headers.get('x-version') ?? '(none)') : 'failed');
      }
      return [...seen].sort();
    };
    await makeHere('cluster-rollout', `VERSION=${NEXT}`);
    expect(
      await manager('service', 'inspect', '--format', '{{.Spec.TaskTemplate.ContainerSpec.Image}}', HELLO),
    ).toMatch(new RegExp(`/hello-web:v${NEXT}(@|$)`));
    expect(
      await eventually(async () => (await versions()).join() === NEXT, 60_000),
      `only v${NEXT} answers`,
    ).toBe(true);
    await makeHere('cluster-rollback');
    expect(await eventually(async () => (await versions()).join() === '1', 60_000), 'only v1 answers').toBe(
      true,
    );
  });

  it('reschedules the tasks of a node killed under load, and counts the failed requests', async () => {
    const [victim] = await busyWorkers();
    expect(victim).toBeDefined();
    const name = node(victim as number);
    const { seen, line } = await underLoad(() => makeHere('node-kill', `NODE=${victim}`));
    console.info(`${line}; requests during the kill: ${JSON.stringify(seen.statuses)}`);
    expect(line).toMatch(
      new RegExp(
        `^node-kill: ${name} killed; marked down after [\\d.]+ s, its \\d+ task\\(s\\) running elsewhere after [\\d.]+ s`,
        'm',
      ),
    );
    expect(total(seen)).toBeGreaterThan(0);
    expect(await runningWithout(name)).toBe(true);
    const after = await tally(40, '/', undefined, CLUSTER_URL);
    expect(after.statuses).toEqual({ 200: 40 });
    expect(answeringNodes(after).has(name)).toBe(false);
    expect(await makeHere('node-back', `NODE=${victim}`)).toMatch(/^node-back: .* ready and active after/m);
    expect(await manager('node', 'inspect', '--format', '{{.Status.State}}', name)).toBe('ready');
  });

  // The count above is worth something only if the same kill fails requests without the retry
  // that saves them (README, "Break it"). Last before the teardown, which removes the cluster as
  // it is: nginx is not given its retry back.
  it('control: without retries (PROXY_RETRY=off), a node killed under load fails requests', async () => {
    await manager(
      'service',
      'update',
      '--detach=false',
      '--quiet',
      '--env-add',
      'PROXY_RETRY=off',
      'hello-lab_nginx',
    );
    const answering = async () => (await tally(3, '/', undefined, CLUSTER_URL)).statuses['200'] === 3;
    expect(await eventually(answering, 120_000), 'nginx answers again').toBe(true);
    const [victim] = await busyWorkers();
    expect(victim).toBeDefined();
    const { seen, line } = await underLoad(() => makeHere('node-kill', `NODE=${victim}`));
    console.info(`control, ${line}; requests without retries: ${JSON.stringify(seen.statuses)}`);
    expect(failures(seen), JSON.stringify(seen.statuses)).toBeGreaterThan(0);
  });

  it('leaves nothing behind (make cluster-down, twice)', async () => {
    await makeHere('cluster-down');
    expect(await makeHere('cluster-down')).toContain(`cluster ${CLUSTER} down`);
    expect(await leftovers()).toEqual([]);
    await expect(fetch(CLUSTER_URL)).rejects.toThrow();
  });
});
