import {
  flagOf,
  matching,
  nonEmpty,
  type OptionSpecs,
  optionHelp,
  readOptions,
  SWITCH_ALLOWED,
  switchValue,
  UsageError,
  wantsHelp,
  wholeNumber,
} from '@hello-lab/shared/options';

// main.ts and the tests take these from the job's options, where they always came from.
export { flagOf, UsageError, wantsHelp };

/**
 * Every setting of the job, once: the parser, the help and the quick preset all come from here.
 * Sizes are per measurement; every measurement runs `repetitions` times and reports the median.
 */
export const DEFAULTS = {
  // A compose project of its own, so the job never touches a lab someone is running.
  project: 'hello-lab-perf',
  // Where its nginx publishes on 127.0.0.1 (the job itself loads nginx from inside the network).
  port: 18090,
  reports: 'reports',
  // The largest number of replicas of the saturation bench, which also runs 1 and 2.
  replicas: 3,
  repetitions: 3,
  // Seconds are whole: autocannon ends a run on its once-a-second tick, so 0.3 s would run 1 s.
  // Seconds of load per saturated run (items 2, 3 and 5), after the warm-up.
  duration: 10,
  // Seconds per proxy-latency run and per service-time run.
  latencyDuration: 5,
  warmup: 1,
  // Connections of the saturated runs through nginx (as `make bench`) and of the latency runs.
  connections: 10,
  // Connections of the server and load-generator comparisons (items 3 and 5).
  serverConnections: 50,
  // Requests per round-robin count.
  fairnessRequests: 10_000,
  quick: false,
};

export type PerfOptions = typeof DEFAULTS;

/** What --quick changes: seconds instead of minutes, still three repetitions of everything. */
export const QUICK: Partial<PerfOptions> = {
  replicas: 2,
  duration: 1,
  latencyDuration: 1,
  warmup: 1,
  fairnessRequests: 1000,
  quick: true,
};

/** The replica counts of the saturation bench: 1, 2 and N. */
export const replicaCounts = (n: number): number[] => [...new Set([1, 2, n])];

/** Projects the job must never take down: the lab of `make up` and the end-to-end tests' default. */
const FOREIGN_PROJECTS = new Set(['hello-lab', 'hello-lab-e2e']);

const projectName = matching(/^[a-z0-9][a-z0-9_-]{0,62}$/);

const SPECS: OptionSpecs<PerfOptions> = {
  project: {
    env: 'PERF_PROJECT',
    value: '<name>',
    help: 'the compose project the job starts and removes',
    allowed: 'a compose project name (lower-case letters, digits, - and _) other than hello-lab',
    parse: (text) => (FOREIGN_PROJECTS.has(text) ? undefined : projectName(text)),
  },
  port: {
    env: 'PERF_PORT',
    value: '<port>',
    help: 'the port its nginx publishes on 127.0.0.1',
    allowed: 'a port from 1024 to 65535',
    parse: wholeNumber(1024, 65535),
  },
  reports: {
    env: 'PERF_REPORTS',
    value: '<dir>',
    help: 'where perf-latest.json and perf-latest.md go',
    allowed: 'a directory path',
    parse: nonEmpty,
  },
  replicas: {
    env: 'PERF_REPLICAS',
    value: '<n>',
    help: 'the largest number of replicas of the saturation bench (it also runs 1 and 2)',
    allowed: 'a whole number from 2 to 8',
    parse: wholeNumber(2, 8),
  },
  repetitions: {
    env: 'PERF_REPETITIONS',
    value: '<n>',
    help: 'runs of every measurement; the report gives their median, min and max',
    allowed: 'a whole number from 3 to 20',
    parse: wholeNumber(3, 20),
  },
  duration: {
    env: 'PERF_DURATION',
    value: '<seconds>',
    help: 'seconds of load per saturated run',
    allowed: 'a whole number of seconds from 1 to 600',
    parse: wholeNumber(1, 600),
  },
  latencyDuration: {
    env: 'PERF_LATENCY_DURATION',
    value: '<seconds>',
    help: 'seconds per latency run and per service-time run',
    allowed: 'a whole number of seconds from 1 to 600',
    parse: wholeNumber(1, 600),
  },
  warmup: {
    env: 'PERF_WARMUP',
    value: '<seconds>',
    help: 'seconds of load before each run, left out of its figures',
    allowed: 'a whole number of seconds from 0 to 600',
    parse: wholeNumber(0, 600),
  },
  connections: {
    env: 'PERF_CONNECTIONS',
    value: '<n>',
    help: 'connections of the runs through nginx',
    allowed: 'a whole number from 1 to 200',
    parse: wholeNumber(1, 200),
  },
  serverConnections: {
    env: 'PERF_SERVER_CONNECTIONS',
    value: '<n>',
    help: 'connections of the hello-against-seed and load-generator comparisons',
    allowed: 'a whole number from 1 to 500',
    parse: wholeNumber(1, 500),
  },
  fairnessRequests: {
    env: 'PERF_FAIRNESS_REQUESTS',
    value: '<n>',
    help: 'requests per round-robin count',
    allowed: 'a whole number from 100 to 1000000',
    parse: wholeNumber(100, 1_000_000),
  },
  quick: {
    env: 'PERF_QUICK',
    help: 'tiny sizes: a second per run, three repetitions (proves the job works, measures little)',
    allowed: SWITCH_ALLOWED,
    parse: switchValue,
    // The help gives every default, the switch's too.
    shownDefault: String(DEFAULTS.quick),
  },
};

/**
 * Options from the command line and the environment; a flag wins over its variable. --quick first
 * applies the quick preset, which any explicit setting then overrides. The first bad value throws
 * a UsageError naming it.
 */
export function parsePerfOptions(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): PerfOptions {
  const { given } = readOptions(SPECS, argv, env, '--quick');
  const base = given.quick === true ? { ...DEFAULTS, ...QUICK } : { ...DEFAULTS };
  return { ...base, ...given };
}

const HELP_WIDTH = 34;

export function helpText(): string {
  const withQuick = (key: keyof PerfOptions) =>
    key in QUICK && key !== 'quick' ? `, ${String(QUICK[key])} with --quick` : '';
  return [
    'Usage: make perf [PERF_...=value]   or   npx tsx --conditions=source perf/src/main.ts [options]',
    '',
    'Measures, in one run on this machine and side by side, how close the lab gets to the',
    "machine's limit and what its own parts cost, and prints ratios (see README, Performance).",
    'It starts its own compose project, loads only loopback and that project, and removes it',
    'when done, also after a failure or Ctrl-C. It reports figures; it does not fail on a slow machine.',
    '',
    'Options (a flag wins over its variable):',
    ...optionHelp(SPECS, DEFAULTS, HELP_WIDTH, withQuick),
    `  ${'-h, --help'.padEnd(HELP_WIDTH)}this text`,
  ].join('\n');
}
