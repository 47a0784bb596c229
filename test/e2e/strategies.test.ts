// make strategies: the same load through each balancing strategy, one replica slow throughout,
// and one report of them side by side. What is checked is what the report and the lab must be
// whatever the machine's speed: every strategy ran over every replica, the shares add up, the
// strategies that decide by the client did, and the slow replica is healed afterwards. Which
// strategy wins, and by how much, is the benchmark's output, not an assertion.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StrategiesResult } from '../../services/loadgen/src/strategies/comparison.js';
import { STRATEGIES } from '../../services/loadgen/src/strategies/strategies.js';
import { compose, make } from './lab.js';

/** BusyBox's wget inside a replica, to its operator port: on the lab's network only. */
const OPERATOR_SICK = ['wget', '-q', '-O', '-', 'http://127.0.0.1:8081/sick'];

/** Replica `number`'s sick state and hostname. */
async function operatorState(number: number): Promise<{ hostname: string; sick: unknown }> {
  const { stdout } = await compose('exec', '-T', '--index', String(number), 'hello', ...OPERATOR_SICK);
  return JSON.parse(stdout);
}

describe('make strategies: the balancing strategies side by side', () => {
  let reports: string;
  let report: StrategiesResult;
  let text: string;
  let html: string;
  const replicas: { number: number; hostname: string }[] = [];

  beforeAll(async () => {
    reports = await mkdtemp(join(tmpdir(), 'hello-lab-strategies-'));
    await make('scale', 'N=3');
    const { stdout } = await compose('ps', '--status', 'running', '--format', '{{.Name}}', 'hello');
    for (const name of stdout.split('\n').filter(Boolean)) {
      const number = Number(/-(\d+)$/.exec(name)?.[1]);
      replicas.push({ number, hostname: (await operatorState(number)).hostname });
    }
    // As the README has it, with short runs and the reports in a folder of the test's own.
    await make('strategies', 'DURATION=3', `REPORTS=${reports}`);
    report = JSON.parse(await readFile(join(reports, 'strategies-latest.json'), 'utf8'));
    text = await readFile(join(reports, 'strategies-latest.txt'), 'utf8');
    html = await readFile(join(reports, 'strategies-latest.html'), 'utf8');
  });

  afterAll(async () => {
    // A comparison that failed half-way has healed in its own trap; this covers a test that did not get that far.
    await make('heal').catch(() => undefined);
    await rm(reports, { recursive: true, force: true });
  });

  it('ran every strategy, in order, with the same load', () => {
    expect(report.rows.map((row) => row.strategy)).toEqual(STRATEGIES.map((strategy) => strategy.key));
    expect(report.options).toMatchObject({ duration: 3, connections: 12, rate: null });
  });

  it('made the replica with the lowest number slow, at half speed, and named it in the report', () => {
    const first = replicas.reduce((low, replica) => (replica.number < low.number ? replica : low));
    expect(report.slowReplica).toEqual({ hostname: first.hostname, factor: 2 });
    expect(report.replicas[0]).toBe(first.hostname);
  });

  it.each(STRATEGIES.map((strategy) => strategy.key))(
    "%s: every replica has a share, and the replicas' answers add up to the strategy's",
    (key) => {
      const row = report.rows.find((candidate) => candidate.strategy === key);
      expect(row?.answers).toBeGreaterThan(0);
      expect(row?.replicas.map((replica) => replica.hostname).sort()).toEqual(
        replicas.map((replica) => replica.hostname).sort(),
      );
      expect(row?.replicas.reduce((sum, replica) => sum + replica.answers, 0)).toBe(row?.answers);
      expect(row?.replicas.reduce((sum, replica) => sum + replica.share, 0)).toBeCloseTo(1, 3);
    },
  );

  it('round robin gave each replica its turn, slow or not', () => {
    const row = report.rows.find((candidate) => candidate.strategy === 'round-robin');
    const turn = (row?.answers ?? 0) / replicas.length;
    // The requests in flight at the window's two ends are all that can break the turns.
    for (const replica of row?.replicas ?? []) {
      expect(Math.abs(replica.answers - turn)).toBeLessThanOrEqual(2 * report.options.connections);
    }
  });

  it('the hash on the client sent the one client, the load generator, to one replica', () => {
    const row = report.rows.find((candidate) => candidate.strategy === 'client-hash');
    expect(row?.replicas.filter((replica) => replica.answers > 0)).toHaveLength(1);
  });

  it('healed the slow replica afterwards', async () => {
    for (const { number } of replicas) expect((await operatorState(number)).sick).toBeNull();
  });

  it('writes the table, one chart and the verdict', () => {
    expect(report.verdict.sentence).toMatch(/^Here .+ wins with the highest throughput/);
    expect(text.trim().replace(/\s+/g, ' ').endsWith(report.verdict.sentence)).toBe(true);
    for (const strategy of STRATEGIES) expect(text).toContain(strategy.name);
    expect(html.match(/<svg/g)).toHaveLength(1);
    expect(html).toContain(report.verdict.sentence.split(',')[0]);
    console.info(text);
  });
});
