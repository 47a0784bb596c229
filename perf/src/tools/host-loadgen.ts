import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOADGEN_CLI, run } from '../lab.js';
import { type LoadResult, parseLoadResult } from '../parse.js';

/**
 * The lab's load generator on the host, as a person runs it against the published port: its
 * --json result, its reports in a folder of its own that goes with it.
 */
export async function hostLoadgen(args: readonly string[]): Promise<LoadResult> {
  const reports = await mkdtemp(join(tmpdir(), 'hello-lab-perf-'));
  try {
    const { stdout } = await run(process.execPath, [
      LOADGEN_CLI,
      ...args,
      '--json',
      '--quiet',
      '--reports',
      reports,
    ]);
    return parseLoadResult(stdout);
  } finally {
    await rm(reports, { recursive: true, force: true });
  }
}
