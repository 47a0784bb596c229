import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const JSON_REPORT = 'perf-latest.json';
export const MARKDOWN_REPORT = 'perf-latest.md';

/** Writes both reports, each to a temporary name first, so a reader never sees half a file. */
export async function writeReports(dir: string, json: unknown, markdown: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files: [string, string][] = [
    [join(dir, JSON_REPORT), `${JSON.stringify(json, null, 2)}\n`],
    [join(dir, MARKDOWN_REPORT), markdown],
  ];
  for (const [file, text] of files) {
    await writeFile(`${file}.tmp`, text);
    await rename(`${file}.tmp`, file);
  }
  return files.map(([file]) => file);
}
