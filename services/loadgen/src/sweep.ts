// The sweep's entry point (dist/sweep.js): read the runs, set them side by side, report. Each job
// is its own module; this file only wires them.
import { readFile } from 'node:fs/promises';
import { UsageError } from '@hello-lab/shared/options';
import { NotABenchResultError, parseBenchResult } from './bench-file.js';
import { runEntry } from './exit.js';
import { renderSweepHtml, renderSweepText } from './report/sweep-page.js';
import type { BenchResult } from './result.js';
import { parseSweepArgs, type SweepArgs, sweepHelpText } from './sweep-options.js';
import { sweepResult } from './sweep-result.js';
import { writeReports } from './write-reports.js';

async function readRun(file: string): Promise<BenchResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    throw new Error(`cannot read ${file}: ${code ?? message}`);
  }
  try {
    return parseBenchResult(text);
  } catch (error) {
    if (error instanceof NotABenchResultError) {
      // Exit 2, as for a bad option: the file given is not one the sweep takes.
      throw new UsageError(`${file} is not a loadgen JSON report: ${error.message}`);
    }
    throw error;
  }
}

async function run(args: SweepArgs): Promise<number> {
  const runs: BenchResult[] = [];
  for (const file of args.files) runs.push(await readRun(file));
  const sweep = sweepResult(runs);
  process.stdout.write(renderSweepText(sweep));
  const written = await writeReports(args.reports, sweep, renderSweepHtml(sweep), 'sweep');
  process.stdout.write(`\nReports: ${written.join(', ')}\n`);
  return 0;
}

await runEntry('sweep', { help: sweepHelpText, parse: parseSweepArgs, run });
