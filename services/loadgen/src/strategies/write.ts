import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ReportsError, writeWhole } from '../write-reports.js';
import type { StrategiesResult } from './comparison.js';

/**
 * The comparison's files: the latest JSON, a JSON copy named by its start time, the terminal's
 * table and the HTML page. Returns the paths written.
 */
export async function writeStrategiesReports(
  dir: string,
  result: StrategiesResult,
  text: string,
  html: string,
): Promise<string[]> {
  const json = `${JSON.stringify(result, null, 2)}\n`;
  // Named as the other reports are (write-reports.ts): no colons, which Windows refuses in a name.
  const stamped = `strategies-${result.startedAt.replace(/:/g, '-')}.json`;
  const files: Array<[string, string]> = [
    [stamped, json],
    ['strategies-latest.json', json],
    ['strategies-latest.txt', text],
    ['strategies-latest.html', html],
  ];
  try {
    await mkdir(dir, { recursive: true });
    for (const [name, content] of files) await writeWhole(join(dir, name), content);
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    throw new ReportsError(`cannot write reports to ${dir}: ${code ?? message}`);
  }
  return files.map(([name]) => join(dir, name));
}
