// The entry point: parse, run, report. Each job is its own module; this file only wires them.

import { UsageError, wantsHelp } from '@hello-lab/shared/options';
import { EXIT_FAILED, EXIT_INTERRUPTED, EXIT_USAGE, failLine, stopOnSignals } from './exit.js';
import { markMeasuring, measuringFile, unmarkMeasuring } from './measuring-file.js';
import { eventsFile, helpText, type Options, parseOptions } from './options.js';
import { type ProgressMode, progressWriter } from './progress.js';
import { renderText } from './render-text.js';
import { renderHtml } from './report/bench-page.js';
import { RunAbortedError, runBenchmark } from './run.js';
import { writeReports } from './write-reports.js';

const fail = (message: string) => failLine('loadgen', message);

function progressMode(options: Options): ProgressMode {
  if (options.quiet || options.json) return 'off';
  return process.stderr.isTTY ? 'tty' : 'lines';
}

async function main(argv: string[]): Promise<number> {
  if (wantsHelp(argv)) {
    process.stdout.write(`${helpText()}\n`);
    return 0;
  }
  let options: Options;
  try {
    options = parseOptions(argv, process.env);
  } catch (error) {
    if (error instanceof UsageError) {
      fail(error.message);
      return EXIT_USAGE;
    }
    throw error;
  }

  const progress = progressWriter((text) => process.stderr.write(text), progressMode(options));
  const signal = stopOnSignals();
  const measuring = measuringFile(eventsFile(options));
  let marked: Promise<void> = Promise.resolve();
  try {
    const result = await runBenchmark(options, {
      onProgress: (p) => progress.update(p),
      signal,
      onWarning: (message) => {
        progress.end();
        fail(message);
      },
      onMeasureStart: (startedAt) => {
        // Only a help for those who wait on it: a run goes on without it.
        marked = markMeasuring(measuring, startedAt, options.label).catch((error: NodeJS.ErrnoException) =>
          fail(`cannot write ${measuring}: ${error.code ?? error.message}`),
        );
      },
    });
    await marked;
    await unmarkMeasuring(measuring).catch(() => undefined);
    progress.end();
    process.stdout.write(options.json ? `${JSON.stringify(result, null, 2)}\n` : renderText(result));
    const written = await writeReports(options.reports, result, renderHtml(result));
    if (!options.json) process.stdout.write(`\nReports: ${written.join(', ')}\n`);
    return result.interrupted ? EXIT_INTERRUPTED : 0;
  } catch (error) {
    await marked;
    await unmarkMeasuring(measuring).catch(() => undefined);
    progress.end();
    fail(error instanceof Error ? error.message : String(error));
    return error instanceof RunAbortedError ? EXIT_INTERRUPTED : EXIT_FAILED;
  }
}

// exitCode rather than exit(): output to a pipe is written asynchronously and must not be cut off.
process.exitCode = await main(process.argv.slice(2));
