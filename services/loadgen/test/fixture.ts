import { readFileSync } from 'node:fs';
import type { BenchResult } from '../src/result.js';

/**
 * The one fixture result that the renderers are tested against: three replicas in the middle of
 * a rollout from v1 to v2, with a few 502s from the proxy (no X-Hostname) and two failed requests.
 * The replicas outnumber the free cores, so the loop's wall time (work) runs longer than its CPU
 * time (cpu), which the model takes as S.
 */
export function loadFixture(): BenchResult {
  return JSON.parse(readFileSync(new URL('./fixtures/result.json', import.meta.url), 'utf8')) as BenchResult;
}

/**
 * The fixture as a hello that sends only its wall time (no `cpu;dur`) would leave it: the model
 * takes S from work and, with more replicas than free cores, warns that S runs long.
 */
export function workOnly(result: BenchResult): BenchResult {
  return {
    ...result,
    cpuMs: { mean: null, count: 0 },
    model: {
      ...result.model,
      serviceTimeMs: result.workMs.mean,
      serviceTimeFrom: 'work',
      capacityRps: 213.92, // 1.69 cores / 7.9 ms
      throughputRatio: 1.617,
      caveat:
        'More replicas than free cores: each work time also counts waiting for a core, so S can run long and the capacity low.',
    },
  };
}
