// The README's commands that no other test runs, run as written (the port is the test lab's).
import { describe, expect, it } from 'vitest';
import { BASE_URL, make, PORT, run } from './lab.js';

const sh = (command: string) =>
  run('bash', ['-c', command.replaceAll('127.0.0.1:8080', `127.0.0.1:${PORT}`)]);

describe('the README, as written', () => {
  it('starts the lab with the quick start command', async () => {
    await sh('docker compose up --build --wait --scale hello=3');
    const { stdout } = await sh('curl http://127.0.0.1:8080/');
    expect(stdout).toMatch(/^Hello from [0-9a-f]{12} \(v1\)$/);
  });

  it('gives the expected result: six answers, the order of three replicas repeating', async () => {
    const { stdout } = await sh('for i in 1 2 3 4 5 6; do curl -s http://127.0.0.1:8080/; echo; done');
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(6);
    for (const line of lines) expect(line).toMatch(/^Hello from [0-9a-f]{12} \(v1\)$/);
    expect(new Set(lines).size).toBe(3);
    expect(lines.slice(3)).toEqual(lines.slice(0, 3));
  });

  it('lists the containers and their health with make ps', async () => {
    const { stdout } = await make('ps');
    // Three replicas, nginx and Prometheus.
    expect(stdout.match(/\(healthy\)/g)).toHaveLength(5);
  });

  it('lists the images with docker images hello-web', async () => {
    const { stdout } = await sh('docker images hello-web');
    expect(stdout).toMatch(/^hello-web\s+v1\s/m);
  });

  it('prints the targets with make help', async () => {
    const { stdout } = await make('help');
    for (const target of ['up', 'scale', 'bench', 'rollout', 'chaos', 'swarm-up', 'kube-validate', 'down']) {
      expect(stdout).toMatch(new RegExp(`^\\s+(\\S+m)?${target}\\s`, 'm'));
    }
  });

  it('lists the load generator options with docker compose run --rm loadgen --help', async () => {
    const { stdout } = await sh('docker compose --progress quiet run --rm --no-deps loadgen --help');
    expect(stdout).toMatch(/^Usage: loadgen \[options\]/);
    expect(stdout).toContain('--connections');
  });

  it("lists the perf job's sizes with make perf-help", async () => {
    const { stdout } = await make('perf-help');
    expect(stdout).toContain('--duration');
    expect(stdout).toContain('PERF_DURATION');
  });

  it('compares hello with the seed server with make bench-hello (tiny sizes)', async () => {
    const { stdout } = await make('bench-hello', 'BENCH_ARGS=--duration 1 --rounds 1');
    expect(stdout).toMatch(/ratio hello\/seed, requests\/s:\s+\d+\.\d{3}/);
    expect(stdout).toMatch(/^seed\s+\d+/m);
    expect(stdout).toMatch(/^hello\s+\d+/m);
  });

  it('answers through nginx on the page a browser gets', async () => {
    const res = await fetch(`${BASE_URL}/`, { headers: { accept: 'text/html' } });
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  });
});
