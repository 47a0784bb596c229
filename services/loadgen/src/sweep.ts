// The sweep's entry point (dist/sweep.js): read the runs, set them side by side, report. Each job
// is its own module; this file only wires them.
import { readFile } from 'node:fs/promises';
import { UsageError, wantsHelp } from '@hello-lab/shared/options';
import { NotABenchResultError, parseBenchResult } from './bench-file.js';
import { EXIT_FAILED, EXIT_USAGE, failLine } from './exit.js';
import { renderSweepHtml, renderSweepText } from './report/sweep-page.js';
import type { BenchResult } from './result.js';
import { parseSweepArgs, type SweepArgs, sweepHelpText } from './sweep-options.js';
import { sweepResult } from './sweep-result.js';
import { writeReports } from './write-reports.js';

const fail = (message: string) => failLine('sweep', message);

/** A failure with its exit status, so that main has one place that turns it into a line. */
class Failure extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

async function readRun(file: string): Promise<BenchResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    throw new Failure(`cannot read ${file}: ${code ?? message}`, EXIT_FAILED);
  }
  try {
    return parseBenchResult(text);
  } catch (error) {
    if (error instanceof NotABenchResultError) {
      throw new Failure(`${file} is not a loadgen JSON report: ${error.message}`, EXIT_USAGE);
    }
    throw error;
  }
}

async function main(argv: string[]): Promise<number> {
  if (wantsHelp(argv)) {
    process.stdout.write(`${sweepHelpText()}\n`);
    return 0;
  }
  try {
    let args: SweepArgs;
    try {
      args = parseSweepArgs(argv, process.env);
    } catch (error) {
      if (error instanceof UsageError) throw new Failure(error.message, EXIT_USAGE);
      throw error;
    }
    const runs: BenchResult[] = [];
    for (const file of args.files) runs.push(await readRun(file));
    const sweep = sweepResult(runs);
    process.stdout.write(renderSweepText(sweep));
    const written = await writeReports(args.reports, sweep, renderSweepHtml(sweep), 'sweep');
    process.stdout.write(`\nReports: ${written.join(', ')}\n`);
    return 0;
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
    return error instanceof Failure ? error.exitCode : EXIT_FAILED;
  }
}

// exitCode rather than exit(): output to a pipe is written asynchronously and must not be cut off.
process.exitCode = await main(process.argv.slice(2));
