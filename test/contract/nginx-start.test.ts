// nginx/start.sh, the proxy's start: nginx.conf as it is, or a copy with a protection switched
// off (README, "Break it"). Run here with a stand-in nginx that records how it was started.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'hello-lab-nginx-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const nginxConf = readFileSync(join(ROOT, 'nginx/nginx.conf'), 'utf8');
const script = readFileSync(join(ROOT, 'nginx/start.sh'), 'utf8')
  .replaceAll('/etc/nginx/nginx.conf', join(ROOT, 'nginx/nginx.conf'))
  .replaceAll('/tmp/nginx.conf', join(dir, 'nginx.conf'));
writeFileSync(join(dir, 'start.sh'), script);
writeFileSync(join(dir, 'nginx'), `#!/bin/sh\necho "$@" >"${dir}/args"\n`);
chmodSync(join(dir, 'nginx'), 0o755);

function start(env: Record<string, string>) {
  rmSync(join(dir, 'nginx.conf'), { force: true });
  rmSync(join(dir, 'args'), { force: true });
  const { status, stderr } = spawnSync('sh', [join(dir, 'start.sh'), '-g', 'daemon off;'], {
    env: { PATH: `${dir}:${process.env.PATH}`, ...env },
    encoding: 'utf8',
  });
  const args = status === 0 ? readFileSync(join(dir, 'args'), 'utf8').trim() : '';
  return { code: status, stderr, args };
}

/** The lines of nginx.conf the script changed: [before, after], trimmed; null for a line removed. */
function changed(): Array<[string, string | null]> {
  const after = readFileSync(join(dir, 'nginx.conf'), 'utf8').split('\n');
  const result: Array<[string, string | null]> = [];
  let j = 0;
  for (const line of nginxConf.split('\n')) {
    if (after[j] === line) {
      j += 1;
    } else if (after[j]?.trim().startsWith(line.trim().split(' ')[0] ?? '') && line.trim() !== '') {
      result.push([line.trim(), after[j]?.trim() ?? null]);
      j += 1;
    } else {
      result.push([line.trim(), null]);
    }
  }
  return result;
}

describe('nginx/start.sh', () => {
  it('starts nginx on the image’s own nginx.conf when every protection is on', () => {
    for (const env of [{}, { PROXY_RETRY: 'on', PROXY_RESOLVE: 'on' }] as Record<string, string>[]) {
      const { code, args } = start(env);
      expect(code).toBe(0);
      expect(args).toBe(`-e stderr -c ${join(ROOT, 'nginx/nginx.conf')} -g daemon off;`);
    }
  });

  it('PROXY_RETRY=off: no retry on another replica, and nothing else changed', () => {
    const { code, args, stderr } = start({ PROXY_RETRY: 'off' });
    expect(code).toBe(0);
    expect(args).toBe(`-e stderr -c ${join(dir, 'nginx.conf')} -g daemon off;`);
    expect(stderr).toBe('nginx: PROXY_RETRY=off: a protection of the lab is turned off\n');
    expect(changed()).toEqual([
      ['proxy_next_upstream error timeout http_502 http_504;', 'proxy_next_upstream off;'],
      ['error_page 502 504 = @again;', null],
      ['error_page 502 504 = @again2;', null],
    ]);
  });

  it('PROXY_RESOLVE=off: the replicas are looked up once, and nothing else changed', () => {
    const { code } = start({ PROXY_RESOLVE: 'off' });
    expect(code).toBe(0);
    expect(changed()).toEqual([['server hello:8080 resolve max_fails=0;', 'server hello:8080 max_fails=0;']]);
  });

  it.each([
    ['PROXY_RETRY', 'no'],
    ['PROXY_RESOLVE', '0'],
  ])('refuses %s=%s with one line and exit 2', (name, value) => {
    const { code, stderr } = start({ [name]: value });
    expect(code).toBe(2);
    expect(stderr).toBe(`nginx: ${name}="${value}" is not allowed: expected on or off\n`);
  });
});
