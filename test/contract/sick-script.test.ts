// scripts/lab/sick.sh (make sick, make heal) refuses a bad setting with one line and exit 2
// before it asks the engine anything (what each mode does to a replica is in test/e2e/sick.test.ts).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const SCRIPT = new URL('../../scripts/lab/sick.sh', import.meta.url).pathname;

function sick(args: string[], env: Record<string, string> = {}) {
  // No docker on PATH: a script that reached the engine would fail another way (exit 127 or 1).
  const { status, stdout, stderr } = spawnSync('bash', [SCRIPT, ...args], {
    env: { PATH: '/usr/bin:/bin', ...env },
    encoding: 'utf8',
  });
  return { status, stdout, stderr };
}

describe('sick.sh: bad settings', () => {
  it.each([
    [['bogus', '2'], {}, 'sick: MODE="bogus" is not allowed: expected one of slow, fail, unready, stall'],
    [[], {}, 'sick: MODE="" is not allowed'],
    [['slow'], {}, 'sick: REPLICA="" is not allowed: expected the number of a running replica, such as 2'],
    [['slow', 'two'], {}, 'sick: REPLICA="two" is not allowed'],
    [['slow', '0'], {}, 'sick: REPLICA="0" is not allowed'],
    [['slow', '2'], { FACTOR: '1' }, 'sick: FACTOR="1" is not allowed: expected a whole number from 2 to 20'],
    [['slow', '2'], { FACTOR: '21' }, 'sick: FACTOR="21" is not allowed'],
    [['slow', '2'], { FACTOR: '2.5' }, 'sick: FACTOR="2.5" is not allowed'],
    [['fail', '2'], { FACTOR: '3' }, 'sick: FACTOR="3" is not allowed: expected no FACTOR with MODE=fail'],
    [['fail', '2'], { SHARE: '0' }, 'sick: SHARE="0" is not allowed: expected a number from 0.01 to 1'],
    [['fail', '2'], { SHARE: '1.5' }, 'sick: SHARE="1.5" is not allowed'],
    [['fail', '2'], { SHARE: 'half' }, 'sick: SHARE="half" is not allowed'],
    [['stall', '2'], { SHARE: '0.5' }, 'sick: SHARE="0.5" is not allowed: expected no SHARE with MODE=stall'],
    [['heal', 'x'], {}, 'heal: REPLICA="x" is not allowed'],
  ] as const)('%j with %j', (args, env, message) => {
    const { status, stdout, stderr } = sick([...args], env);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain(message);
  });

  it('names the settings the service itself allows', async () => {
    // The script checks first what POST /sick would refuse: the same bounds, stated once there.
    const { SICK_SETTINGS } = await import('../../services/hello/src/sick.js');
    expect(sick(['slow', '2'], { FACTOR: '99' }).stderr).toContain(
      `expected ${SICK_SETTINGS.factor.allowed}`,
    );
    expect(sick(['fail', '2'], { SHARE: '9' }).stderr).toContain(`expected ${SICK_SETTINGS.share.allowed}`);
  });
});
