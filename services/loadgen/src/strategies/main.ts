// The strategy comparison's entry point (dist/strategies/main.js, make strategies): the same
// closed-loop load through each balancing strategy in turn, then one report of them side by side.
// Each job is its own module; this file wires them.
import { runEntry, stopOnSignals } from '../exit.js';
import { ms, percent, rps } from '../format.js';
import { RunAbortedError, runBenchmark } from '../run.js';
import { writeReports } from '../write-reports.js';
import { compareStrategies, type StrategyRun } from './comparison.js';
import { parseStrategiesOptions, type StrategiesOptions, strategiesHelpText } from './options.js';
import { renderStrategiesHtml, renderStrategiesText } from './report.js';
import { STRATEGIES, strategyUrl } from './strategies.js';

async function run(
  { load, slowReplica }: StrategiesOptions,
  fail: (message: string) => void,
): Promise<number> {
  const signal = stopOnSignals();
  const hooks = { signal, onWarning: fail };
  const runs: StrategyRun[] = [];
  for (const strategy of STRATEGIES) {
    if (signal.aborted) break;
    const result = await runBenchmark({ ...load, url: strategyUrl(load.url, strategy.port) }, hooks);
    const slow = result.replicas.find((replica) => replica.hostname === slowReplica?.hostname);
    const slowShare = slowReplica
      ? `, slow replica ${percent(slow?.answers ?? 0, result.requests.total)}`
      : '';
    process.stderr.write(
      `==> ${strategy.name}: ${rps(result.throughputRps)}, p99 ${ms(result.latencyMs.p99)}${slowShare}\n`,
    );
    runs.push({ strategy: strategy.key, result });
  }
  if (signal.aborted) throw new RunAbortedError('stopped before every strategy had run');
  const comparison = compareStrategies(runs, load, slowReplica);
  const text = renderStrategiesText(comparison);
  process.stdout.write(text);
  const written = await writeReports(
    load.reports,
    comparison,
    renderStrategiesHtml(comparison),
    'strategies',
    text,
  );
  process.stdout.write(`\nReports: ${written.join(', ')}\n`);
  return 0;
}

await runEntry('strategies', {
  help: strategiesHelpText,
  parse: parseStrategiesOptions,
  run,
  interruptedBy: RunAbortedError,
});
