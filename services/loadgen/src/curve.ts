// The queueing curve's entry point (dist/curve.js, make bench-curve): measure the capacity with a
// closed loop, then run an open loop of Poisson arrivals at each share of it, and report latency
// against offered load beside the theory. Each job is its own module; this file wires them.
import { curveRates, curveResult } from './curve/curve-result.js';
import { runEntry, stopOnSignals } from './exit.js';
import { helpText, type Options, parseOptions } from './options.js';
import { renderCurveHtml, renderCurveText } from './report/curve-page.js';
import type { BenchResult } from './result.js';
import { RunAbortedError, runBenchmark } from './run.js';
import { writeReports } from './write-reports.js';

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

async function measureCurve(options: Options, fail: (message: string) => void): Promise<number> {
  const signal = stopOnSignals();
  const hooks = { signal, onWarning: fail };
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
}

await runEntry('curve', {
  help: curveHelp,
  // --rate and --arrivals are the curve's own to set: the bench's variables for them do not count.
  parse: (argv, env) => parseOptions(argv, { ...env, RATE: '', ARRIVALS: '' }),
  run: measureCurve,
  interruptedBy: RunAbortedError,
});
