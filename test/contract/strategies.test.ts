// make strategies: nginx/strategies.conf has the strategies the load generator compares, on the
// ports it loads, over the replicas the lab's proxy uses; scripts/lab/strategies.sh refuses a bad
// setting with one line and exit 2 before it asks the engine anything (the run is in test/e2e).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { OPTION_SPECS } from '../../services/loadgen/src/options.js';
import { STRATEGIES } from '../../services/loadgen/src/strategies/strategies.js';
import { compose, readText } from './manifests.js';

const conf = readText('nginx/strategies.conf');
const nginxConf = readText('nginx/nginx.conf');

/** The body of each upstream block, by its name. */
const upstreams = new Map(
  [...conf.matchAll(/^upstream (\w+) \{\n([\s\S]*?)^\}/gm)].map((m) => [m[1] ?? '', m[2] ?? '']),
);
/** The directives of a block, without its comments. */
const directives = (block: string) =>
  block
    .split('\n')
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter(Boolean);
/** The upstream each port proxies to, from the map on $server_port. */
const byPort = new Map(
  [
    ...(/map \$server_port \$strategy_upstream \{([\s\S]*?)\}/.exec(conf)?.[1] ?? '').matchAll(
      /(\d+) (\w+);/g,
    ),
  ].map((m) => [Number(m[1]), m[2] ?? '']),
);

describe('nginx/strategies.conf', () => {
  it('is included in the http block of nginx.conf and copied into the image', () => {
    expect(nginxConf).toMatch(/\n {2}include \/etc\/nginx\/strategies\.conf;\n\}\n$/);
    expect(readText('nginx/Dockerfile')).toMatch(/^COPY .*nginx\/strategies\.conf.* \/etc\/nginx\/$/m);
  });

  it.each(STRATEGIES.map((strategy) => [strategy.port, strategy.key, strategy.directive] as const))(
    'port %i (%s) is an upstream balanced by %s, listened on',
    (port, _key, directive) => {
      const name = byPort.get(port) ?? '';
      const block = directives(upstreams.get(name) ?? '');
      const methods = block.filter((line) => /^(least_conn|random|hash|ip_hash)\b/.test(line));
      expect(methods).toEqual(directive === '(default)' ? [] : [`${directive};`]);
      expect(conf).toContain(`listen ${port};`);
    },
  );

  it("balances over the same replicas as the lab's proxy, in the same way otherwise", () => {
    const main = directives(/upstream hello \{\n([\s\S]*?)\n {2}\}/.exec(nginxConf)?.[1] ?? '');
    const same = (line: string) => !/^(zone|least_conn|random|hash)\b/.test(line);
    expect(main).toContain('server hello:8080 resolve max_fails=0;');
    expect(byPort.size).toBe(STRATEGIES.length);
    for (const name of byPort.values()) {
      const block = directives(upstreams.get(name) ?? '');
      expect(block.filter(same)).toEqual(main.filter(same));
      expect(block).toContain(`zone ${name} 64k;`);
    }
  });

  it('listens on ports that compose publishes for no service', () => {
    const published = Object.values(compose().services).flatMap((service) => service.ports ?? []);
    for (const { port } of STRATEGIES) expect(published.join(' ')).not.toContain(String(port));
  });
});

const SCRIPT = new URL('../../scripts/lab/strategies.sh', import.meta.url).pathname;

function strategies(env: Record<string, string>) {
  // No docker on PATH: a script that reached the engine would fail another way (exit 127 or 1).
  const { status, stdout, stderr } = spawnSync('bash', [SCRIPT], {
    env: { PATH: '/usr/bin:/bin', ...env },
    encoding: 'utf8',
  });
  return { status, stdout, stderr };
}

describe('strategies.sh: bad settings', () => {
  it.each([
    [
      { DURATION: 'soon' },
      `strategies: DURATION="soon" is not allowed: expected ${OPTION_SPECS.duration.allowed}`,
    ],
    [{ DURATION: '0' }, 'strategies: DURATION="0" is not allowed'],
    [{ DURATION: '-1' }, 'strategies: DURATION="-1" is not allowed'],
    [
      { CONNECTIONS: '0' },
      `strategies: CONNECTIONS="0" is not allowed: expected ${OPTION_SPECS.connections.allowed}`,
    ],
    [{ CONNECTIONS: '5001' }, 'strategies: CONNECTIONS="5001" is not allowed'],
    [{ CONNECTIONS: 'many' }, 'strategies: CONNECTIONS="many" is not allowed'],
    [
      { RATE: '100' },
      'strategies: RATE="100" is not allowed: expected no rate: the strategies are compared in a closed loop',
    ],
  ])('%j', (env, message) => {
    const { status, stdout, stderr } = strategies(env);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain(message);
  });
});
