// The entry point: parse, run, report. Each job is its own module; this file only wires them.

import { EXIT_INTERRUPTED, runEntry, stopOnSignals } from './exit.js';
import { markMeasuring, measuringFile, unmarkMeasuring } from './measuring-file.js';
import { eventsFile, helpText, type Options, parseOptions } from './options.js';
import { type ProgressMode, progressWriter } from './progress.js';
import { renderText } from './render-text.js';
import { renderHtml } from './report/bench-page.js';
import type { BenchResult } from './result.js';
import { RunAbortedError, runBenchmark } from './run.js';
import { writeReports } from './write-reports.js';

function progressMode(options: Options): ProgressMode {
  if (options.quiet || options.json) return 'off';
  return process.stderr.isTTY ? 'tty' : 'lines';
}

async function run(options: Options, fail: (message: string) => void): Promise<number> {
  const progress = progressWriter((text) => process.stderr.write(text), progressMode(options));
  const signal = stopOnSignals();
  const measuring = measuringFile(eventsFile(options));
  let marked: Promise<void> = Promise.resolve();
  let result: BenchResult;
  try {
    result = await runBenchmark(options, {
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
  } finally {
    // Measured or failed, the run is over: no measuring file and no progress line before the rest.
    await marked;
    await unmarkMeasuring(measuring).catch(() => undefined);
    progress.end();
  }
  process.stdout.write(options.json ? `${JSON.stringify(result, null, 2)}\n` : renderText(result));
  const written = await writeReports(options.reports, result, renderHtml(result));
  if (!options.json) process.stdout.write(`\nReports: ${written.join(', ')}\n`);
  return result.interrupted ? EXIT_INTERRUPTED : 0;
}

await runEntry('loadgen', { help: helpText, parse: parseOptions, run, interruptedBy: RunAbortedError });
