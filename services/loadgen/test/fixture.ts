import { readFileSync } from 'node:fs';
import type { BenchResult } from '../src/result.js';

/**
 * The one fixture result that the renderers are tested against: three replicas in the middle of
 * a rollout from v1 to v2, with a few 502s from the proxy (no X-Hostname) and two failed requests.
 */
export function loadFixture(): BenchResult {
  return JSON.parse(readFileSync(new URL('./fixtures/result.json', import.meta.url), 'utf8')) as BenchResult;
}
