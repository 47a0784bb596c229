import { readFileSync } from 'node:fs';
import {
  matching,
  oneOf,
  readEnvironment,
  refuse,
  type Setting,
  wholeNumber,
} from '@hello-lab/shared/options';
import { DEFAULT_HOST, DEFAULT_OPERATOR_PORT, DEFAULT_PORT } from './defaults.js';

// A table of small parsers rather than a validation library: the service reads a few variables
// once, and a library loaded for that stays in every replica's process (docs/performance.md).

/** One environment variable: its default and what it accepts (the end of an error line). */
interface Variable<T> extends Setting<T> {
  fallback: T;
}

const whole = (min: number, max: number, fallback: number): Variable<number> => ({
  fallback,
  allowed: `a whole number from ${min} to ${max}`,
  parse: wholeNumber(min, max),
});

const pattern = (regexp: RegExp, allowed: string, fallback: string): Variable<string> => ({
  fallback,
  allowed,
  parse: matching(regexp),
});

const choice = <const T extends string>(values: readonly T[], fallback: T): Variable<T> => ({
  fallback,
  allowed: `one of ${values.join(', ')}`,
  parse: oneOf(values),
});

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const GREETING = /^\p{L}{1,32}$/u;

/** Every setting the service reads, once. The Config type below is derived from it. */
const VARIABLES = {
  PORT: whole(1, 65535, DEFAULT_PORT),
  // The operator's routes (GET and POST /sick), on a port of their own so that the proxy, which
  // reaches PORT only, can never pass a client's request to them. 0 takes any free port.
  OPERATOR_PORT: whole(0, 65535, DEFAULT_OPERATOR_PORT),
  HOST: pattern(
    /^[0-9A-Za-z.:_-]{1,253}$/,
    'an IP address or host name to listen on, such as 0.0.0.0 or ::',
    DEFAULT_HOST,
  ),
  APP_VERSION: pattern(
    /^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$/,
    '1 to 64 letters, digits, dots, dashes or underscores, starting with a letter or digit',
    '1',
  ),
  // The machine the replica runs on, as the orchestrator names it ({{.Node.Hostname}} in Swarm,
  // spec.nodeName in Kubernetes): on a cluster of several, answers say which one served them (the
  // X-Node header). Unset on one machine, as in compose, where there is only one to name.
  NODE_NAME: pattern(
    /^[0-9A-Za-z][0-9A-Za-z._-]{0,252}$/,
    'a node name of 1 to 253 letters, digits, dots, dashes or underscores, starting with a letter or digit',
    '',
  ),
  WORK_ITERATIONS: whole(0, 1e10, 1e7),
  LOG_LEVEL: choice(LOG_LEVELS, 'info'),
  // Longer than the proxy's upstream keepalive_timeout (60 s), so the proxy always closes an idle
  // connection first and never sends a request on one this service has just closed.
  KEEP_ALIVE_TIMEOUT_MS: whole(1000, 600000, 65000),
  // The longest a request to GET / may be made to wait in the work queue for its busy loop; one
  // that would wait longer is refused at once, 503 with Retry-After (work-queue.ts). Under the
  // proxy's read timeout (12 s), so the proxy never gives up on a request that a replica will
  // still run and runs it on another as well. 0 sets no bound: the protection turned off on purpose.
  QUEUE_MAX_WAIT_MS: whole(0, 60000, 9000),
  // Time between failing readiness and closing the listener, for balancers that poll readiness.
  SHUTDOWN_DELAY_MS: whole(0, 30000, 0),
  // Hard limit for a graceful shutdown; kept under the 10 s Docker waits before SIGKILL.
  SHUTDOWN_TIMEOUT_MS: whole(100, 60000, 8000),
  // `off` exits at once on SIGTERM, dropping what is in flight: the protection turned off on
  // purpose, to see what the drain is worth (README, "Break it").
  DRAIN: choice(['on', 'off'], 'on'),
  // The first word of every answer, from a file: an orchestrator's secret (/run/secrets/...),
  // kept out of the image and out of the environment. Read below, once the path is known.
  GREETING_FILE: {
    fallback: undefined,
    allowed: 'a readable file that holds one word of 1 to 32 letters, such as Hello',
    parse: (text: string) => text,
  } as Variable<string | undefined>,
};

type Name = keyof typeof VARIABLES;
type ValueOf<V> = V extends Variable<infer T> ? T : never;

/** The variables, and what they lead to: the greeting read from GREETING_FILE ("Hello" without). */
export type Config = { [K in Name]: ValueOf<(typeof VARIABLES)[K]> } & { greeting: string };

function refuseVariable(name: Name, text: string, reason?: string): never {
  refuse(name, text, VARIABLES[name].allowed, reason);
}

function readGreeting(path: string): string {
  let greeting: string;
  try {
    greeting = readFileSync(path, 'utf8').trim();
  } catch (error) {
    refuseVariable(
      'GREETING_FILE',
      path,
      `it cannot be read: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
  if (!GREETING.test(greeting)) refuseVariable('GREETING_FILE', path, 'it holds something else');
  return greeting;
}

/**
 * Reads the config from an environment. An empty variable counts as unset, as compose passes
 * `${VAR:-}` through as an empty string. The first bad value throws a one-line UsageError.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const { given } = readEnvironment(VARIABLES, env);
  const fallbacks = Object.fromEntries(
    Object.entries(VARIABLES).map(([name, { fallback }]) => [name, fallback]),
  );
  const config = { ...fallbacks, ...given } as Omit<Config, 'greeting'>;
  // A replica given a PORT of its own runs beside others on one host (tests, benchmarks), where a
  // second one would find the default operator port taken: it takes any free one instead.
  if (given.OPERATOR_PORT === undefined && config.PORT !== DEFAULT_PORT) config.OPERATOR_PORT = 0;
  if (config.OPERATOR_PORT === config.PORT) {
    refuseVariable('OPERATOR_PORT', String(config.OPERATOR_PORT), 'it is PORT too');
  }
  const file = config.GREETING_FILE;
  return { ...config, greeting: file === undefined ? 'Hello' : readGreeting(file) };
}
