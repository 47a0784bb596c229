import { readFileSync } from 'node:fs';
import { DEFAULT_HOST, DEFAULT_PORT } from './defaults.js';

// The schema is a table of small parsers rather than a validation library: the service reads
// eight variables once, and a library loaded for that stays in the process. In the lab's image
// (Node 24), answers without the busy loop came at 0.60 of the seed server's rate with zod loaded
// and at 0.75 without it, side by side in one run (README, Performance): Fastify's per-request
// path turned out sensitive to what else the process holds.

/** One environment variable: its default, what is allowed (the end of an error line), its parser. */
interface Variable<T> {
  fallback: T;
  allowed: string;
  /** The value from the variable's text, or undefined when the text is not allowed. */
  parse: (text: string) => T | undefined;
}

function wholeNumber(min: number, max: number, fallback: number): Variable<number> {
  return {
    fallback,
    allowed: `a whole number from ${min} to ${max}`,
    parse: (text) => {
      const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
      return value >= min && value <= max ? value : undefined;
    },
  };
}

function matching(pattern: RegExp, allowed: string, fallback: string): Variable<string> {
  return { fallback, allowed, parse: (text) => (pattern.test(text) ? text : undefined) };
}

function oneOf<const T extends string>(values: readonly T[], fallback: T): Variable<T> {
  return {
    fallback,
    allowed: `one of ${values.join(', ')}`,
    parse: (text) => values.find((value) => value === text),
  };
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const GREETING = /^\p{L}{1,32}$/u;

/** Every setting the service reads, once. The Config type below is derived from it. */
const VARIABLES = {
  PORT: wholeNumber(1, 65535, DEFAULT_PORT),
  HOST: matching(
    /^[0-9A-Za-z.:_-]{1,253}$/,
    'an IP address or host name to listen on, such as 0.0.0.0 or ::',
    DEFAULT_HOST,
  ),
  APP_VERSION: matching(
    /^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$/,
    '1 to 64 letters, digits, dots, dashes or underscores, starting with a letter or digit',
    '1',
  ),
  WORK_ITERATIONS: wholeNumber(0, 1e10, 1e7),
  LOG_LEVEL: oneOf(LOG_LEVELS, 'info'),
  // Longer than the proxy's upstream keepalive_timeout (60 s), so the proxy always closes an idle
  // connection first and never sends a request on one this service has just closed.
  KEEP_ALIVE_TIMEOUT_MS: wholeNumber(1000, 600000, 65000),
  // Time between failing readiness and closing the listener, for balancers that poll readiness.
  SHUTDOWN_DELAY_MS: wholeNumber(0, 30000, 0),
  // Hard limit for a graceful shutdown; kept under the 10 s Docker waits before SIGKILL.
  SHUTDOWN_TIMEOUT_MS: wholeNumber(100, 60000, 8000),
  // `off` exits at once on SIGTERM, dropping what is in flight: the protection turned off on
  // purpose, to see what the drain is worth (README, "Break it").
  DRAIN: oneOf(['on', 'off'], 'on'),
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

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function refuse(name: Name, text: string, reason?: string): never {
  const why = reason === undefined ? '' : ` (${reason})`;
  throw new ConfigError(
    `${name}=${JSON.stringify(text)} is not allowed: expected ${VARIABLES[name].allowed}${why}`,
  );
}

function readGreeting(path: string): string {
  let greeting: string;
  try {
    greeting = readFileSync(path, 'utf8').trim();
  } catch (error) {
    refuse('GREETING_FILE', path, `it cannot be read: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  if (!GREETING.test(greeting)) refuse('GREETING_FILE', path, 'it holds something else');
  return greeting;
}

/**
 * Reads the config from an environment. An empty variable counts as unset, as compose passes
 * `${VAR:-}` through as an empty string. The first bad value throws a one-line ConfigError.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const config: Record<string, unknown> = {};
  for (const name of Object.keys(VARIABLES) as Name[]) {
    const text = env[name];
    const variable = VARIABLES[name] as Variable<unknown>;
    const value = text === undefined || text === '' ? variable.fallback : variable.parse(text);
    if (value === undefined && text !== undefined && text !== '') refuse(name, text);
    if (value !== undefined) config[name] = value;
  }
  const file = config.GREETING_FILE as string | undefined;
  return { ...config, greeting: file === undefined ? 'Hello' : readGreeting(file) } as Config;
}
