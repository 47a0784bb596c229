import { parseArgs } from 'node:util';
import { optionHelp, readEnvironment, refuse, UsageError } from '@hello-lab/shared/options';
import { DEFAULTS, OPTION_SPECS } from './options.js';

/** The sweep's one option and its default, the same as the runs': the parser and the help read it here. */
export const SWEEP_DEFAULTS = {
  reports: DEFAULTS.reports,
};

export interface SweepArgs {
  /** Where sweep-latest.json, a timestamped copy and sweep-latest.html go. */
  reports: string;
  /** The runs' JSON reports, in the order given. */
  files: string[];
}

const USAGE = 'node services/loadgen/dist/sweep.js [--reports <dir>] <bench.json>...';

/** The runs' --reports, variable and all, with the sweep's own help line. */
const SPECS = { reports: { ...OPTION_SPECS.reports, help: 'where the reports go' } };

/**
 * Reads `--reports <dir>` (else REPORTS_DIR, else the default; an empty variable counts as unset)
 * and one or more files. Anything else throws a UsageError whose message is one line.
 * `--help` is accepted here and answered by the caller (wantsHelp).
 */
export function parseSweepArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): SweepArgs {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    // node's own messages name the option; the advice after the first sentence is left out.
    const first = (error instanceof Error ? error.message : String(error)).split(/\.\s/)[0];
    throw new UsageError(`${first}; usage: ${USAGE}`);
  }
  const { values, positionals } = parsed;
  const flag = values.reports;
  if (flag !== undefined && SPECS.reports.parse(flag) === undefined) {
    refuse('--reports', flag, SPECS.reports.allowed);
  }
  if (positionals.length === 0) {
    throw new UsageError(`no bench result files given; usage: ${USAGE}`);
  }
  const { given } = readEnvironment<typeof SWEEP_DEFAULTS>(SPECS, env);
  return { reports: flag ?? given.reports ?? SWEEP_DEFAULTS.reports, files: positionals };
}

// node's own strict parser, not readOptions: the sweep's files are arguments, which readOptions refuses.
function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    options: { reports: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
    allowPositionals: true,
  });
}

const HELP_WIDTH = 22;

export function sweepHelpText(): string {
  return [
    `Usage: ${USAGE}`,
    '',
    'Sets the JSON reports of several loadgen runs side by side, one per replica count, ordered by',
    'the replicas each run saw: throughput, speed-up against the 1-replica run, p50 and p99 latency,',
    "errors and the model's capacity, and one sentence on where adding replicas stops adding",
    'throughput. Prints a table and writes sweep-latest.json, a timestamped copy and',
    'sweep-latest.html to the reports directory.',
    '',
    'Options:',
    ...optionHelp(SPECS, SWEEP_DEFAULTS, HELP_WIDTH),
    `  ${'-h, --help'.padEnd(HELP_WIDTH)}this text`,
    '',
    'Exit status: 0 done; 1 a file or the reports directory could not be read or written;',
    '2 bad option, no files, or a file that is not a loadgen JSON report.',
  ].join('\n');
}
