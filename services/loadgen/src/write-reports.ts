import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export class ReportsError extends Error {
  override name = 'ReportsError';
}

/**
 * What the files are of: one run (`bench`, by cli.ts), a sweep over several (`sweep`, by sweep.ts),
 * the queueing curve (`curve`) or the balancing strategies side by side (`strategies`).
 */
export type ReportKind = 'bench' | 'sweep' | 'curve' | 'strategies';

/** The files of one report: the latest JSON and HTML, and a JSON copy named by its start time. */
export function reportFileNames(startedAt: string, kind: ReportKind = 'bench') {
  return {
    latestJson: `${kind}-latest.json`,
    // Colons are not allowed in file names on Windows, which may open a bind-mounted folder.
    stampedJson: `${kind}-${startedAt.replace(/:/g, '-')}.json`,
    latestHtml: `${kind}-latest.html`,
  };
}

/** Writes to a temporary name, then renames: a reader never sees half a file. */
export async function writeWhole(path: string, content: string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, content);
  await rename(temporary, path);
}

/**
 * Writes the reports into `dir`, creating it if needed, and returns the paths written; with
 * `text`, the terminal's report too.
 */
export async function writeReports(
  dir: string,
  result: { readonly startedAt: string },
  html: string,
  kind: ReportKind = 'bench',
  text?: string,
): Promise<string[]> {
  const names = reportFileNames(result.startedAt, kind);
  const json = `${JSON.stringify(result, null, 2)}\n`;
  const files: Array<[string, string]> = [
    [names.stampedJson, json],
    [names.latestJson, json],
    [names.latestHtml, html],
    ...(text === undefined ? [] : [[`${kind}-latest.txt`, text] as [string, string]]),
  ];
  try {
    await mkdir(dir, { recursive: true });
    for (const [name, content] of files) await writeWhole(join(dir, name), content);
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    // In a container the usual cause is a bind mount owned by another user: say which one we are.
    const who =
      code === 'EACCES' || code === 'EPERM' ? ` (this process runs as uid ${process.getuid?.()})` : '';
    throw new ReportsError(`cannot write reports to ${dir}: ${code ?? message}${who}`);
  }
  return files.map(([name]) => join(dir, name));
}
