// The services `make perf` adds (perf/compose.yaml) are held to the lab's own standard: no root,
// a read-only root filesystem, no capabilities, limits, and nothing published. The end-to-end
// perf test shows they run; this shows what they run with, for each of them.
import { describe, expect, it } from 'vitest';
import { perfCompose } from './manifests.js';

const services = Object.entries(perfCompose().services);

describe('perf/compose.yaml', () => {
  it('has the services the job starts', () => {
    expect(services.map(([name]) => name).sort()).toEqual([
      'perf-driver',
      'perf-hello',
      'perf-nginx-bare',
      'perf-seed',
    ]);
  });

  it.each(services)('%s runs unprivileged, read-only, with limits, publishing nothing', (_, service) => {
    expect(service.user).toMatch(/^[1-9]\d*:[1-9]\d*$/);
    expect(service.read_only).toBe(true);
    expect(service.cap_drop).toEqual(['ALL']);
    expect(service.security_opt).toContain('no-new-privileges:true');
    expect(service.init).toBe(true);
    const limits = service.deploy?.resources?.limits;
    expect(Number(limits?.cpus)).toBeGreaterThan(0);
    expect(limits?.memory).toMatch(/^\d+M$/);
    expect(limits?.pids).toBeGreaterThan(0);
    expect(service.ports).toBeUndefined();
  });
});
