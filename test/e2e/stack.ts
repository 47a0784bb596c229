// Brings the lab under test up once for all end-to-end files, and always takes it down again.
// It starts in the background, while the unit tests run (vitest runs every project's global
// setup before the first test): test/e2e/ready.ts makes each e2e file wait for it. `make
// perf-quick` starts beside the e2e files once the lab is up (test/e2e/perf.test.ts checks it).
import { rmSync, writeFileSync } from 'node:fs';
import { LAB_READY, make, startPerfJob } from './lab.js';

export async function setup(): Promise<() => Promise<void>> {
  rmSync(LAB_READY, { force: true });
  // A stack left by an interrupted earlier run would skew the counts.
  await make('down');
  let perf: { stop(): void } | undefined;
  const started = (async () => {
    try {
      await make('up', 'N=3');
    } catch (error) {
      writeFileSync(LAB_READY, `the lab under test did not start: ${String(error).slice(0, 4000)}`);
      await make('down').catch(() => undefined);
      return;
    }
    perf = startPerfJob();
    writeFileSync(LAB_READY, 'ok');
  })();
  return async () => {
    await started;
    perf?.stop();
    await make('down');
    rmSync(LAB_READY, { force: true });
  };
}
