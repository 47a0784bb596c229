// The queueing curve's entry point (dist/curve.js, make bench-curve): measure the capacity with a
// closed loop, then run an open loop of Poisson arrivals at each share of it, and report latency
// against offered load beside the theory. Each job is its own module; this file wires them.
import { UsageError, wantsHelp } from '@hello-lab/shared/options';
import { curveRates, curveResult } from './curve/curve-result.js';
import { EXIT_FAILED, EXIT_INTERRUPTED, EXIT_USAGE, failLine, stopOnSignals } from './exit.js';
import { helpText, type Options, parseOptions } from './options.js';
import { renderCurveHtml, renderCurveText } from './report/curve-page.js';
import type { BenchResult } from './result.js';
import { RunAbortedError, runBenchmark } from './run.js';
import { writeReports } from './write-reports.js';

const fail = (message: string) => failLine('curve', message);

function curveHelp(): string {
  return [
    'Usage: curve [options]',
    '',
    'Measures the capacity with a closed loop, then offers Poisson arrivals at 10 % to 110 % of it,',
    'one open-loop run each, and sets p50 and p99 against the offered load beside a simulation of',
    "the lab's queue and M/D/c. Writes curve-latest.json and curve-latest.html. The options are the",
    "bench's (below); --duration is per run, --rate and --arrivals are the curve's own to set.",
    '',
    helpText(),
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  if (wantsHelp(argv)) {
    process.stdout.write(`${curveHelp()}\n`);
    return 0;
  }
  let options: Options;
  try {
    options = parseOptions(argv, { ...process.env, RATE: '', ARRIVALS: '' });
  } catch (error) {
    if (error instanceof UsageError) {
      fail(error.message);
      return EXIT_USAGE;
    }
    throw error;
  }
  const signal = stopOnSignals();
  const hooks = { signal, onWarning: fail };
  try {
    const capacity = await runBenchmark({ ...options, rate: null }, hooks);
    process.stderr.write(`==> capacity: ${capacity.throughputRps} req/s, closed loop\n`);
    const runs: BenchResult[] = [];
    for (const rate of curveRates(capacity.throughputRps)) {
      if (signal.aborted) break;
      const run = await runBenchmark({ ...options, rate, arrivals: 'poisson' }, hooks);
      process.stderr.write(
        `==> ${rate} req/s offered: p50 ${run.latencyMs.p50} ms, p99 ${run.latencyMs.p99} ms\n`,
      );
      runs.push(run);
    }
    if (signal.aborted) throw new RunAbortedError('stopped before the curve was complete');
    const curve = curveResult(capacity, runs);
    process.stdout.write(renderCurveText(curve));
    const written = await writeReports(options.reports, curve, renderCurveHtml(curve), 'curve');
    process.stdout.write(`\nReports: ${written.join(', ')}\n`);
    return 0;
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
    return error instanceof RunAbortedError ? EXIT_INTERRUPTED : EXIT_FAILED;
  }
}

// exitCode rather than exit(): output to a pipe is written asynchronously and must not be cut off.
process.exitCode = await main(process.argv.slice(2));
