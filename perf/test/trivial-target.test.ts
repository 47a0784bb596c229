import { describe, expect, it } from 'vitest';
import { startTrivialTarget } from '../src/tools/trivial-target.js';

describe('startTrivialTarget', () => {
  it('starts the trivial target on loopback, answering "ok", and reads its CPU time', async () => {
    const target = startTrivialTarget();
    try {
      const url = await target.url;
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect(await (await fetch(url)).text()).toBe('ok');
      expect(await target.cpuSeconds()).toBeGreaterThan(0);
    } finally {
      target.stop();
    }
  });
});
