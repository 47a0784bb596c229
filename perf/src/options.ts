import { parseArgs } from 'node:util';

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
  // Seconds per latency run (item 4) and per service-time run (item 1).
  latencyDuration: 5,
  warmup: 1,
  // Connections of the saturated runs through nginx (as `make bench`) and of the latency runs.
  connections: 10,
  // Connections of the server and load-generator comparisons (items 3 and 5).
  serverConnections: 50,
  // Requests per round-robin count (item 6).
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

export class UsageError extends Error {
  override name = 'UsageError';
}

interface Spec {
  env: string;
  help: string;
  allowed: string;
  parse: (text: string) => unknown;
}

const whole = (min: number, max: number) => (text: string) => {
  const value = /^\d+$/.test(text) ? Number(text) : undefined;
  return value !== undefined && value >= min && value <= max ? value : undefined;
};

const SPECS: { [K in keyof PerfOptions]: Spec } = {
  project: {
    env: 'PERF_PROJECT',
    help: 'the compose project the job starts and removes',
    allowed: 'a compose project name (lower-case letters, digits, - and _) other than hello-lab',
    parse: (text) =>
      /^[a-z0-9][a-z0-9_-]{0,62}$/.test(text) && !FOREIGN_PROJECTS.has(text) ? text : undefined,
  },
  port: {
    env: 'PERF_PORT',
    help: 'the port its nginx publishes on 127.0.0.1',
    allowed: 'a port from 1024 to 65535',
    parse: whole(1024, 65535),
  },
  reports: {
    env: 'PERF_REPORTS',
    help: 'where perf-latest.json and perf-latest.md go',
    allowed: 'a directory path',
    parse: (text) => (text === '' ? undefined : text),
  },
  replicas: {
    env: 'PERF_REPLICAS',
    help: 'the largest number of replicas of the saturation bench (it also runs 1 and 2)',
    allowed: 'a whole number from 2 to 8',
    parse: whole(2, 8),
  },
  repetitions: {
    env: 'PERF_REPETITIONS',
    help: 'runs of every measurement; the report gives their median, min and max',
    allowed: 'a whole number from 3 to 20',
    parse: whole(3, 20),
  },
  duration: {
    env: 'PERF_DURATION',
    help: 'seconds of load per saturated run',
    allowed: 'a whole number of seconds from 1 to 600',
    parse: whole(1, 600),
  },
  latencyDuration: {
    env: 'PERF_LATENCY_DURATION',
    help: 'seconds per latency run and per service-time run',
    allowed: 'a whole number of seconds from 1 to 600',
    parse: whole(1, 600),
  },
  warmup: {
    env: 'PERF_WARMUP',
    help: 'seconds of load before each run, left out of its figures',
    allowed: 'a whole number of seconds from 0 to 600',
    parse: whole(0, 600),
  },
  connections: {
    env: 'PERF_CONNECTIONS',
    help: 'connections of the runs through nginx',
    allowed: 'a whole number from 1 to 200',
    parse: whole(1, 200),
  },
  serverConnections: {
    env: 'PERF_SERVER_CONNECTIONS',
    help: 'connections of the hello-against-seed and load-generator comparisons',
    allowed: 'a whole number from 1 to 500',
    parse: whole(1, 500),
  },
  fairnessRequests: {
    env: 'PERF_FAIRNESS_REQUESTS',
    help: 'requests per round-robin count',
    allowed: 'a whole number from 100 to 1000000',
    parse: whole(100, 1_000_000),
  },
  quick: {
    env: 'PERF_QUICK',
    help: 'tiny sizes: a second per run, three repetitions (proves the job works, measures little)',
    allowed: '1, true, 0 or false',
    parse: (text) => (/^(1|true)$/i.test(text) ? true : /^(0|false)$/i.test(text) ? false : undefined),
  },
};

const KEYS = Object.keys(DEFAULTS) as (keyof PerfOptions)[];

export const flagOf = (key: keyof PerfOptions): string =>
  `--${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;

/**
 * Options from the command line and the environment; a flag wins over its variable. --quick first
 * applies the quick preset, which any explicit setting then overrides. The first bad value throws
 * a UsageError naming it.
 */
export function parsePerfOptions(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): PerfOptions {
  const given = new Map<keyof PerfOptions, unknown>();
  const set = (key: keyof PerfOptions, source: string, text: string) => {
    const value = SPECS[key].parse(text);
    if (value === undefined) {
      throw new UsageError(
        `${source}=${JSON.stringify(text)} is not allowed: expected ${SPECS[key].allowed}`,
      );
    }
    given.set(key, value);
  };
  for (const key of KEYS) {
    const text = env[SPECS[key].env];
    if (text !== undefined && text !== '') set(key, SPECS[key].env, text);
  }
  const { tokens } = parseArgs({
    args: [...argv],
    options: Object.fromEntries(
      KEYS.map((key) => [flagOf(key).slice(2), { type: key === 'quick' ? 'boolean' : 'string' }] as const),
    ),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  for (const token of tokens) {
    if (token.kind === 'positional') throw new UsageError(`${token.value} is not an option: try --help`);
    if (token.kind !== 'option' || token.name === 'help') continue;
    const key = KEYS.find((k) => flagOf(k) === `--${token.name}`);
    if (!key)
      throw new UsageError(
        `${token.rawName} is not an option: expected one of ${KEYS.map(flagOf).join(', ')}`,
      );
    if (key === 'quick') {
      if (token.value !== undefined) set(key, flagOf(key), token.value);
      else given.set(key, true);
    } else {
      if (token.value === undefined)
        throw new UsageError(`${flagOf(key)} needs a value: expected ${SPECS[key].allowed}`);
      set(key, flagOf(key), token.value);
    }
  }
  const base = given.get('quick') === true ? { ...DEFAULTS, ...QUICK } : { ...DEFAULTS };
  return { ...base, ...Object.fromEntries(given) } as PerfOptions;
}

export const wantsHelp = (argv: readonly string[]): boolean => argv.includes('--help') || argv.includes('-h');

export function helpText(): string {
  const lines = KEYS.map((key) => {
    const flag = key === 'quick' ? flagOf(key) : `${flagOf(key)} <value>`;
    const quick = key in QUICK && key !== 'quick' ? `, ${String(QUICK[key])} with --quick` : '';
    return `  ${flag.padEnd(30)}${SPECS[key].help}\n  ${''.padEnd(30)}env ${SPECS[key].env}, default ${String(DEFAULTS[key])}${quick}`;
  });
  return [
    'Usage: make perf [PERF_...=value]   or   npx tsx perf/src/main.ts [options]',
    '',
    'Measures, in one run on this machine and side by side, how close the lab gets to the',
    "machine's limit and what its own parts cost, and prints ratios (see README, Performance).",
    'It starts its own compose project, loads only loopback and that project, and removes it',
    'when done, also after a failure or Ctrl-C. It reports figures; it does not fail on a slow machine.',
    '',
    'Options (a flag wins over its variable):',
    ...lines,
    `  ${'-h, --help'.padEnd(30)}this text`,
  ].join('\n');
}
