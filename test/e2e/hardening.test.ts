import { describe, expect, it } from 'vitest';
import { containerIds, inspect, PORT } from './lab.js';

describe('hardening, read from the running containers', () => {
  it.each([
    ['hello', '1000:1000', 1e9, 128 * 1024 * 1024],
    ['nginx', '101:101', 1e9, 64 * 1024 * 1024],
    ['prometheus', '65534:65534', 0.5e9, 128 * 1024 * 1024],
  ])('%s runs unprivileged, read-only, with limits', async (service, user, nanoCpus, memory) => {
    const containers = await inspect(await containerIds(service));
    expect(containers.length).toBeGreaterThan(0);
    for (const { Config, HostConfig } of containers) {
      expect(Config.User).toBe(user);
      expect(HostConfig.ReadonlyRootfs).toBe(true);
      expect(HostConfig.CapDrop).toEqual(['ALL']);
      expect(HostConfig.CapAdd ?? []).toEqual([]);
      expect(HostConfig.SecurityOpt).toContain('no-new-privileges:true');
      expect(HostConfig.Init).toBe(true);
      expect(HostConfig.NanoCpus).toBe(nanoCpus);
      expect(HostConfig.Memory).toBe(memory);
      expect(HostConfig.PidsLimit).toBeGreaterThan(0);
    }
  });

  it('publishes one port, nginx on 127.0.0.1, and none for the replicas', async () => {
    const [nginx] = await inspect(await containerIds('nginx'));
    expect(nginx?.HostConfig.PortBindings).toEqual({
      '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: String(PORT) }],
    });
    for (const replica of await inspect(await containerIds('hello'))) {
      expect(replica.HostConfig.PortBindings ?? {}).toEqual({});
    }
    const [prometheus] = await inspect(await containerIds('prometheus'));
    expect(prometheus?.HostConfig.PortBindings ?? {}).toEqual({});
  });

  it("keeps Prometheus' samples in memory: a tmpfs of its own, size-capped", async () => {
    const [prometheus] = await inspect(await containerIds('prometheus'));
    expect(prometheus?.HostConfig.Tmpfs).toEqual({ '/prometheus': expect.stringMatching(/^size=\d+m,/) });
  });
});
