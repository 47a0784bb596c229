// scripts/lab/swarm.sh refuses a bad setting with one line and exit 2 before it asks the engine
// anything, so a typo never leaves a half-deployed stack (the deploy itself is in test/e2e).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const SCRIPT = new URL('../../scripts/lab/swarm.sh', import.meta.url).pathname;

function swarm(args: string[], env: Record<string, string>) {
  // No docker on PATH: a script that reached the engine would fail another way.
  const { status, stdout, stderr } = spawnSync('bash', [SCRIPT, ...args], {
    env: { PATH: '/usr/bin:/bin', APP_VERSION: '1', ...env },
    encoding: 'utf8',
  });
  return { status, stdout, stderr };
}

describe('swarm.sh: bad settings', () => {
  it.each([
    [
      ['up'],
      { SWARM_MONITOR: 'soon' },
      'swarm-up: SWARM_MONITOR="soon" is not allowed: expected whole seconds from 1 to 9999, such as 10s',
    ],
    [['up'], { SWARM_MONITOR: '0s' }, 'swarm-up: SWARM_MONITOR="0s" is not allowed'],
    [
      ['up'],
      { GREETING: 'two words' },
      'swarm-up: GREETING="two words" is not allowed: expected one word of 1 to 32 letters',
    ],
    [['up'], { APP_VERSION: '../x' }, 'swarm-up: VERSION="../x" is not allowed'],
    [['rollout', 'v 2'], {}, 'swarm-rollout: VERSION="v 2" is not allowed'],
    [['images', ''], {}, 'swarm-images: VERSION="" is not allowed'],
  ] as const)('%j with %j', (args, env, message) => {
    const { status, stdout, stderr } = swarm([...args], env);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain(message);
  });

  it('refuses an unknown command with the list of commands', () => {
    const { status, stderr } = swarm(['deploy'], {});
    expect(status).toBe(2);
    expect(stderr.trim()).toBe(
      'swarm.sh: "deploy" is not a command: expected up, scale N, rollout VERSION, rollback, ps, down or images VERSION',
    );
  });
});
