// scripts/lab/cluster.sh refuses a bad setting with one line and exit 2 before it asks the engine
// anything, so a typo never leaves half a cluster behind (the cluster itself is in test/e2e).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;

/** `make TARGET SETTINGS...` as a person types it, with no docker on PATH. */
function make(args: string[], env: Record<string, string> = {}) {
  // No docker on PATH: a script that reached the engine would fail another way.
  const { status, stdout, stderr } = spawnSync('make', ['--no-print-directory', ...args], {
    cwd: ROOT,
    env: { PATH: '/usr/bin:/bin', ...env },
    // On a pipe for stdin, bash takes itself for a remote shell and reads the bashrc files.
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  return { status, stdout, stderr };
}

describe('make cluster-*: bad settings', () => {
  it.each([
    [
      ['cluster-up', 'NODES=0'],
      {},
      'cluster-up: NODES="0" is not allowed: expected a whole number of nodes from 1 to 9',
    ],
    [['cluster-up', 'NODES=abc'], {}, 'cluster-up: NODES="abc" is not allowed'],
    [['cluster-up', 'NODES=10'], {}, 'cluster-up: NODES="10" is not allowed'],
    [['cluster-up', 'NODES=-1'], {}, 'cluster-up: NODES="-1" is not allowed'],
    [
      ['cluster-up', 'NODES=3'],
      { CLUSTER_HTTP_PORT: '80' },
      'cluster-up: CLUSTER_HTTP_PORT="80" is not allowed: expected a port from 1024 to 65535',
    ],
    [
      ['cluster-up', 'NODES=3'],
      { CLUSTER_HTTP_PORT: '70000' },
      'cluster-up: CLUSTER_HTTP_PORT="70000" is not allowed',
    ],
    [
      ['cluster-up', 'NODES=3'],
      { CLUSTER_REGISTRY_PORT: 'x' },
      'cluster-up: CLUSTER_REGISTRY_PORT="x" is not allowed',
    ],
    [
      ['cluster-up', 'NODES=3'],
      { CLUSTER_HTTP_PORT: '9000', CLUSTER_REGISTRY_PORT: '9000' },
      'cluster-up: CLUSTER_HTTP_PORT and CLUSTER_REGISTRY_PORT are both 9000',
    ],
    [
      ['cluster-up', 'NODES=3'],
      { CLUSTER: 'Big Lab' },
      'cluster-up: CLUSTER="Big Lab" is not allowed: expected 1 to 30 lower-case letters',
    ],
    [
      ['node-drain', 'NODE=1'],
      {},
      'cluster-drain: NODE="1" is not allowed: expected a node from 2 to 9 (node 1 is the manager',
    ],
    [['node-kill'], {}, 'cluster-kill: NODE="" is not allowed'],
    [['node-back', 'NODE=two'], {}, 'cluster-back: NODE="two" is not allowed'],
    [
      ['cluster-scale', 'N=many'],
      {},
      'cluster-scale: N="many" is not allowed: expected a whole number of replicas from 0 to 99',
    ],
    [
      ['cluster-rollout', 'VERSION=no/such'],
      {},
      'cluster-rollout: VERSION="no/such" is not allowed: expected 1 to 64 letters, digits, dots, dashes or underscores',
    ],
  ] as const)('make %j with %j', (args, env, message) => {
    const { status, stderr } = make([...args], env);
    // make reports the recipe's exit 2 as its own exit 2, on a line of its own after the message.
    expect(status).toBe(2);
    const own = stderr.split('\n').filter((line) => line && !line.startsWith('make: ***'));
    expect(own).toHaveLength(1);
    expect(own[0]).toContain(message);
  });

  it('refuses an unknown command with the list of commands', () => {
    const { status, stderr } = spawnSync('bash', [`${ROOT}scripts/lab/cluster.sh`, 'deploy'], {
      env: { PATH: '/usr/bin:/bin' },
      encoding: 'utf8',
    });
    expect(status).toBe(2);
    expect(stderr.trim()).toBe(
      'cluster.sh: "deploy" is not a command: expected up NODES, add, drain NODE, kill NODE, back NODE, scale N, rollout VERSION, rollback, bench, ps or down',
    );
  });
});
