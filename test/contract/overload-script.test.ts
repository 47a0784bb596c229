// make overload: scripts/lab/overload.sh refuses a bad setting with one line and exit 2 before it
// asks the engine anything, and scripts/lab/upstream-attempts.mjs reads nginx's log as the
// overload test does: attempts from $upstream_addr, refusals only with Retry-After (the run is
// in test/e2e/overload.test.ts).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ROOT } from './manifests.js';

const script = (env: Record<string, string>) =>
  spawnSync('bash', ['scripts/lab/overload.sh'], {
    cwd: ROOT,
    encoding: 'utf8',
    // No engine to reach: a setting refused after the first docker command would show as that
    // command's failure instead of the one line.
    env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent.sock', ...env },
  });

describe('scripts/lab/overload.sh', () => {
  it.each([
    [
      { DURATION: '0' },
      'overload: DURATION="0" is not allowed: expected a whole number of seconds from 1 to 600',
    ],
    [
      { DURATION: '2.5' },
      'overload: DURATION="2.5" is not allowed: expected a whole number of seconds from 1 to 600',
    ],
    [
      { DURATION: '601' },
      'overload: DURATION="601" is not allowed: expected a whole number of seconds from 1 to 600',
    ],
    [
      { CLIENTS: '1000 lots' },
      'overload: CLIENTS="1000 lots" is not allowed: expected whole numbers from 1 to 5000, such as "1000 3000"',
    ],
    [
      { CLIENTS: '5001' },
      'overload: CLIENTS="5001" is not allowed: expected whole numbers from 1 to 5000, such as "1000 3000"',
    ],
    [
      { CLIENTS: ' ' },
      'overload: CLIENTS is empty: expected whole numbers from 1 to 5000, such as "1000 3000"',
    ],
  ])('refuses %o with one line and exit 2', (env, line) => {
    const result = script(env);
    expect(result.stderr).toBe(`${line}\n`);
    expect(result.status).toBe(2);
  });
});

describe('scripts/lab/upstream-attempts.mjs', () => {
  const entry = (status: number, upstream: string, requestTime: number, retryAfter = '') =>
    JSON.stringify({
      request: 'GET / HTTP/1.1',
      status,
      upstream,
      request_time: requestTime,
      retry_after: retryAfter,
    });
  const read = (lines: string[], duration = '2') =>
    spawnSync('node', ['scripts/lab/upstream-attempts.mjs', duration, '1000', 'on'], {
      cwd: ROOT,
      encoding: 'utf8',
      input: `${lines.join('\n')}\n`,
    });

  it('counts answers a second, refusals with Retry-After, the fast ones, attempts and the rest', () => {
    const result = read([
      entry(200, '10.0.0.2:8080', 0.5),
      entry(200, '10.0.0.3:8080', 1.5),
      entry(200, '10.0.0.2:8080, 10.0.0.4:8080', 12.5),
      entry(200, '10.0.0.2:8080 : 10.0.0.3:8080', 2.0),
      entry(503, '10.0.0.4:8080', 0.01, '3'),
      entry(503, '10.0.0.4:8080', 9.2, '1'),
      // A 503 without Retry-After is no refusal of the lab's: it counts as "other".
      entry(503, '10.0.0.4:8080', 0.01),
      entry(499, '10.0.0.3:8080', 3),
      JSON.stringify({ request: 'GET /metrics HTTP/1.1', status: 200, upstream: 'x', request_time: 0 }),
      'not a log line',
    ]);
    expect(result.status).toBe(0);
    expect(result.stdout.trim().split('\t')).toEqual([
      '1000',
      'on',
      '2 req/s',
      '2',
      '50 %',
      '1',
      '1',
      // 10 attempts for 8 requests
      '1.2500',
      '2.00 s',
      '12.50 s',
      '12.50 s',
    ]);
  });

  it('refuses a duration that is no number of seconds', () => {
    const result = read([], 'soon');
    expect(result.stderr).toBe(
      'upstream-attempts: DURATION="soon" is not allowed: expected seconds greater than 0\n',
    );
    expect(result.status).toBe(2);
  });
});
