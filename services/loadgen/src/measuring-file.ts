import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeWhole } from './write-reports.js';

/**
 * A file beside the events file that exists while a run measures: what a script or a test waits
 * for before it changes the lab ("the load is running"), instead of sleeping for a guess. It
 * holds the start of the measurement and the run's label.
 */
export const MEASURING_FILE_NAME = 'bench-measuring.json';

export function measuringFile(eventsFile: string): string {
  return join(dirname(eventsFile), MEASURING_FILE_NAME);
}

/** Written whole: whoever sees the file sees all of it, never an empty one. */
export async function markMeasuring(path: string, startedAt: Date, label: string | null): Promise<void> {
  await writeWhole(path, `${JSON.stringify({ startedAt: startedAt.toISOString(), label })}\n`);
}

export async function unmarkMeasuring(path: string): Promise<void> {
  await rm(path, { force: true });
}
