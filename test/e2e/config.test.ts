import { describe, expect, it } from 'vitest';
import { BASE_URL, compose } from './lab.js';

describe('configuration', () => {
  it('is a compose file that docker compose accepts, with loadgen behind a profile', async () => {
    const { stdout } = await compose('config', '--services');
    expect(stdout.split('\n').filter(Boolean).sort()).toEqual(['hello', 'nginx', 'prometheus']);
    const all = await compose('--profile', 'bench', 'config', '--services');
    expect(all.stdout.split('\n').filter(Boolean).sort()).toEqual([
      'hello',
      'loadgen',
      'nginx',
      'prometheus',
    ]);
  });

  it('has an nginx config that nginx -t accepts inside the lab network', async () => {
    const { stderr } = await compose('exec', '-T', 'nginx', 'nginx', '-e', 'stderr', '-t');
    expect(stderr).toMatch(/syntax is ok/);
    expect(stderr).toMatch(/test is successful/);
  });

  it('shows the nginx status page inside the network only', async () => {
    const inside = await compose(
      'exec',
      '-T',
      'hello',
      'node',
      '-e',
      "fetch('http://nginx:8081/nginx_status').then(async (r) => console.log(r.status, await r.text()))",
    );
    expect(inside.stdout).toMatch(/^200 Active connections: \d+/);
    // From the host, the published port leads to the replicas, which know no such page.
    const outside = await fetch(`${BASE_URL}/nginx_status`);
    expect(outside.status).toBe(404);
    expect(await outside.text()).not.toMatch(/Active connections/);
  });
});
