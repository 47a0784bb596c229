// Brings the lab under test up once for all end-to-end files, and always takes it down again.
// `make perf-quick` starts beside them, once the lab is up (test/e2e/perf.test.ts checks it).
import { make, startPerfJob } from './lab.js';

export async function setup(): Promise<() => Promise<void>> {
  // A stack left by an interrupted earlier run would skew the counts.
  await make('down');
  try {
    await make('up', 'N=3');
  } catch (error) {
    await make('down');
    throw error;
  }
  const perf = startPerfJob();
  return async () => {
    perf.stop();
    await make('down');
  };
}
