import { describe, expect, it } from 'vitest';
import { formatProgress, type ProgressMode, progressWriter } from '../src/progress.js';
import type { Progress } from '../src/run.js';

const at = (elapsedSeconds: number, phase: Progress['phase'] = 'measure'): Progress => ({
  phase,
  elapsedSeconds,
  requestsPerSecond: 312,
  errors: elapsedSeconds > 2 ? 1 : 0,
});

describe('formatProgress', () => {
  it.each<[Progress, string]>([
    [at(1.02), 'measure     1 s     312 req/s     0 errors'],
    [at(12.6), 'measure    13 s     312 req/s      1 error'],
    [at(1, 'warm-up'), 'warm-up     1 s     312 req/s     0 errors'],
  ])('%j', (progress, line) => {
    expect(formatProgress(progress)).toBe(line);
  });
});

function record(mode: ProgressMode, updates: Progress[]): string {
  let written = '';
  const writer = progressWriter((text) => {
    written += text;
  }, mode);
  for (const update of updates) writer.update(update);
  writer.end();
  return written;
}

describe('progressWriter', () => {
  // As run.ts reports: at the start of each phase, then once a second (a little late, as timers are).
  const run = [at(0, 'warm-up'), at(1, 'warm-up'), ...Array.from({ length: 11 }, (_, i) => at(i * 1.001))];

  it('rewrites one line in place on a terminal, then clears it', () => {
    const written = record('tty', run);
    expect(written.split('\r').filter(Boolean)).toHaveLength(run.length + 1);
    expect(written).not.toContain('\n');
    expect(written.endsWith('\r\u001b[K')).toBe(true);
  });

  it('prints a plain line every five seconds otherwise', () => {
    expect(record('lines', run)).toBe(`${formatProgress(at(5.005))}\n${formatProgress(at(10.01))}\n`);
  });

  it('prints nothing when off (--quiet, --json)', () => {
    expect(record('off', run)).toBe('');
  });
});
