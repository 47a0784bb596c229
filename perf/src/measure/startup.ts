import type { Lab } from '../lab.js';
import type { PerfOptions } from '../options.js';
import type { Log } from './context.js';

/** `docker compose up --wait` of N replicas with the images built, down in between; in seconds. */
export async function measureStartup(lab: Lab, options: PerfOptions, log: Log): Promise<number[]> {
  const seconds: number[] = [];
  for (let r = 0; r < options.repetitions; r++) {
    await lab.down();
    const { seconds: took } = await lab.up(options.replicas, null);
    log(
      `start-up ${r + 1}/${options.repetitions}: ${took.toFixed(1)} s to ${options.replicas} healthy replicas`,
    );
    seconds.push(took);
  }
  return seconds;
}
