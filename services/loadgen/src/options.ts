import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import {
  decimalNumber,
  flagOf,
  nonEmpty,
  type OptionSpecs,
  oneOf,
  optionHelp,
  readOptions,
  refuse,
  SWITCH_ALLOWED,
  switchValue,
  wholeNumber,
} from '@hello-lab/shared/options';
import { ARRIVALS, type Arrivals } from './open-loop/arrivals.js';

// The reports name options by their flags: they keep importing flagOf from here.
export { flagOf };

/** The events file's name in the reports directory, unless --events names another file. */
export const EVENTS_FILE_NAME = 'events.jsonl';

/**
 * Every option's default, once. The Options type, the parser and the help text all come from it.
 * `null` means "off": no request count (run for `duration`), no fixed rate, no label.
 */
export const DEFAULTS = {
  // nginx inside the compose network; from the host, pass --url=http://127.0.0.1:8080/.
  url: 'http://nginx:8080/',
  duration: 10,
  amount: null as number | null,
  connections: 10,
  pipelining: 1,
  warmup: 1,
  rate: null as number | null,
  arrivals: 'constant' as Arrivals,
  // Cores this process may run on. Note: a container's CPU quota (compose `cpus:`) does not
  // show here, only a cpuset does; pass --cores when the replicas are limited that way.
  cores: availableParallelism(),
  // nginx's share of the cores, estimated: it is not measurable from here. Proxying costs it
  // some tens of microseconds of CPU per request, so 0.1 of a core covers a few thousand requests
  // per second; pass 0 when aiming at a replica directly.
  proxyCores: 0.1,
  // Other work on the machine, in cores; null: measured, from /proc/stat over 0.5 s before the
  // warm-up, less this process's own CPU (see other-work.ts).
  otherCores: null as number | null,
  // Relative to the working directory on the host; the image sets REPORTS_DIR=/reports.
  reports: 'reports',
  // The events file that other scripts append to while the load runs; null: events.jsonl in
  // the reports directory (see eventsFile).
  events: null as string | null,
  label: null as string | null,
  json: false,
  quiet: false,
};

export type Options = typeof DEFAULTS;

const MAX_CONNECTIONS = 5000;

function httpUrl(text: string): string | undefined {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** One entry per option; the type makes sure no option of DEFAULTS is left out. */
export const OPTION_SPECS: OptionSpecs<Options> = {
  url: {
    env: 'TARGET_URL',
    short: 'u',
    value: '<url>',
    help: 'the address to load',
    allowed: 'an http:// or https:// URL, such as http://127.0.0.1:8080/',
    parse: httpUrl,
  },
  duration: {
    env: 'DURATION',
    short: 'd',
    value: '<seconds>',
    help: 'how long to measure, after the warm-up',
    allowed: 'a number of seconds greater than 0',
    parse: decimalNumber(0, Number.POSITIVE_INFINITY, { aboveMin: true }),
  },
  amount: {
    env: 'AMOUNT',
    short: 'a',
    value: '<requests>',
    help: 'stop after this many answers instead of after --duration',
    allowed: 'a whole number of requests from 1 to 1000000000',
    parse: wholeNumber(1, 1e9),
    shownDefault: 'none',
  },
  connections: {
    env: 'CONNECTIONS',
    short: 'c',
    value: '<n>',
    help: 'connections, each with one request in flight (times --pipelining)',
    allowed: `a whole number from 1 to ${MAX_CONNECTIONS}`,
    parse: wholeNumber(1, MAX_CONNECTIONS),
  },
  pipelining: {
    env: 'PIPELINING',
    short: 'p',
    value: '<n>',
    help: 'requests sent on a connection before waiting for answers',
    allowed: 'a whole number from 1 to 100',
    parse: wholeNumber(1, 100),
  },
  warmup: {
    env: 'WARMUP',
    short: 'w',
    value: '<seconds>',
    help: 'load sent first on 10 connections at most, not counted (JIT)',
    allowed: 'a number of seconds, 0 or more',
    parse: decimalNumber(),
  },
  rate: {
    env: 'RATE',
    short: 'r',
    value: '<req/s>',
    help: 'a fixed request rate: an open loop (see below)',
    allowed: 'a whole number of requests per second from 1 to 1000000',
    parse: wholeNumber(1, 1e6),
    shownDefault: 'none (a closed loop)',
  },
  arrivals: {
    env: 'ARRIVALS',
    value: '<kind>',
    help: 'with --rate: evenly spaced (constant) or at random (poisson)',
    allowed: ARRIVALS.join(' or '),
    parse: oneOf(ARRIVALS),
  },
  cores: {
    env: 'CORES',
    value: '<n>',
    help: 'cores shared by the replicas, nginx and this tool, for the model',
    allowed: 'a number of cores greater than 0, at most 1024',
    parse: decimalNumber(0, 1024, { aboveMin: true }),
    shownDefault: `${DEFAULTS.cores}, what this process may use`,
  },
  proxyCores: {
    env: 'PROXY_CORES',
    value: '<n>',
    help: "the proxy's estimated share of the cores, for the model",
    allowed: 'a number of cores, 0 or more and less than --cores',
    parse: decimalNumber(),
  },
  otherCores: {
    env: 'OTHER_CORES',
    value: '<n>',
    // "measured when not given" is said by the default: on the help's line it passes 100 columns.
    help: 'other work on the machine, in cores, for the model',
    allowed: 'a number of cores, 0 or more and less than --cores',
    parse: decimalNumber(),
    shownDefault: 'measured, 0.5 s before the warm-up',
  },
  reports: {
    env: 'REPORTS_DIR',
    value: '<dir>',
    help: 'where bench-latest.json, a timestamped copy and bench-latest.html go',
    allowed: 'a directory path',
    parse: nonEmpty,
    shownDefault: 'reports; /reports in the image',
  },
  events: {
    env: 'EVENTS_FILE',
    value: '<file>',
    help: 'events that other scripts append while the load runs (see below)',
    allowed: 'a file path',
    parse: nonEmpty,
    shownDefault: `<reports dir>/${EVENTS_FILE_NAME}`,
  },
  label: {
    env: 'LABEL',
    short: 'l',
    value: '<text>',
    help: 'a name for this run, shown in the reports',
    allowed: '1 to 80 characters, no control characters',
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
    parse: (text) => (/^[^\u0000-\u001f\u007f]{1,80}$/u.test(text) ? text : undefined),
    shownDefault: 'none',
  },
  json: {
    env: 'JSON',
    short: 'j',
    help: 'print the JSON result to stdout instead of the table',
    allowed: SWITCH_ALLOWED,
    parse: switchValue,
  },
  quiet: {
    env: 'QUIET',
    short: 'q',
    help: 'no progress line while running',
    allowed: SWITCH_ALLOWED,
    parse: switchValue,
  },
};

/** The events file the run reads: --events, or events.jsonl beside the reports. */
export function eventsFile(options: Pick<Options, 'events' | 'reports'>): string {
  return options.events ?? join(options.reports, EVENTS_FILE_NAME);
}

type Key = keyof Options;

/**
 * Reads the options from the command line and the environment; a flag wins over its variable,
 * and an empty variable counts as unset (compose passes `${VAR:-}` through as ""). The first bad
 * option throws a UsageError. `--help` is accepted here and answered by the caller (wantsHelp).
 */
export function parseOptions(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Options {
  const { given, sources } = readOptions(OPTION_SPECS, argv, env, '--url=http://127.0.0.1:8080/');
  const options: Options = { ...DEFAULTS, ...given };

  // Rules between options, checked once every value is known.
  const source = (key: Key) => sources.get(key) ?? { name: flagOf(key), text: String(options[key]) };
  if (options.amount !== null && options.amount < options.connections) {
    const { name, text } = source('amount');
    refuse(name, text, `a whole number of requests, at least --connections (${options.connections})`);
  }
  if (options.rate === null && sources.has('arrivals')) {
    const { name, text } = source('arrivals');
    refuse(name, text, `${ARRIVALS.join(' or ')}, together with --rate: a closed loop has no schedule`);
  }
  if (options.rate !== null && options.pipelining > 1) {
    const { name, text } = source('pipelining');
    refuse(name, text, '1 with --rate: the open loop sends one request at a time on each connection');
  }
  if (options.proxyCores >= options.cores) {
    const { name, text } = source('proxyCores');
    refuse(name, text, `a number of cores, 0 or more and less than --cores (${options.cores})`);
  }
  if (options.otherCores !== null && options.otherCores >= options.cores) {
    const { name, text } = source('otherCores');
    refuse(name, text, `a number of cores, 0 or more and less than --cores (${options.cores})`);
  }
  return options;
}

/** The --help text, generated from DEFAULTS and OPTION_SPECS so that it cannot disagree with them. */
export function helpText(): string {
  const width = 28;
  return [
    'Usage: loadgen [options]',
    '',
    'Sends HTTP load with autocannon, counts the answers per replica (X-Hostname) and version',
    '(X-Version), reads the service time from Server-Timing (work;dur=), and sets the result beside',
    'a capacity model. Prints a report and writes bench-latest.json, a timestamped copy and',
    'bench-latest.html to the reports directory.',
    '',
    'Options (each also read from the environment variable named under it; a flag wins):',
    ...optionHelp(OPTION_SPECS, DEFAULTS, width),
    `  ${'-h, --help'.padEnd(width)}this text`,
    '',
    'Closed loop (default): each connection sends its next request when the previous one is',
    'answered, so a slow server slows the load down and the queueing delay stays hidden: requests',
    'that would have waited are not sent, so their latency is never measured (coordinated omission).',
    'Open loop (--rate): requests are due on a schedule fixed in advance (--arrivals), whatever',
    'the server does, so a server slower than the rate builds a queue and the latency shows it:',
    'each latency counts from the moment the request was due, and the latency from its actual send',
    'is shown beside it. A request due while every connection is busy leaves late, and is counted',
    'as late; give it at least rate x latency connections.',
    '',
    'Model: capacity = min(replicas, cores left) / service time, where the cores left are --cores',
    "minus this tool's own CPU use (measured), --proxy-cores and --other-cores (the machine's busy",
    "CPU less this tool, measured for 0.5 s before the warm-up). Latency by Little's law: in flight",
    '/ min(capacity, measured throughput); with --rate below capacity, the service time plus the',
    'wait of an M/D/c queue (poisson) or none (constant).',
    '',
    'Events: while the load runs, other scripts may append lines such as',
    '  {"time":"2026-11-26T17:00:00.123Z","kind":"kill","detail":"hello-lab-hello-2 (SIGKILL)"}',
    'to the events file (time: ISO 8601 with a zone; kind: one word; detail: optional text). The',
    'events between the start and the end of the measurement are put in the reports; lines that',
    'are not events are skipped with a warning.',
    '',
    'Exit status: 0 done; 1 failed (target unreachable, reports not writable); 2 bad option;',
    '130 stopped by Ctrl-C or SIGTERM (the reports still cover what was measured until then).',
  ].join('\n');
}
