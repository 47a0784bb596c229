import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DEFAULT_HOST, DEFAULT_PORT } from './defaults.js';

/** A whole number from an environment variable; the description is the "what is allowed" of errors. */
function wholeNumber(min: number, max: number, fallback: number) {
  return z
    .string()
    .regex(/^\d+$/)
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .default(fallback)
    .describe(`a whole number from ${min} to ${max}`);
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const GREETING = /^\p{L}{1,32}$/u;

/** Every setting the service reads, once. The Config type below is derived from it. */
const variables = z.object({
  PORT: wholeNumber(1, 65535, DEFAULT_PORT),
  HOST: z
    .string()
    .regex(/^[0-9A-Za-z.:_-]{1,253}$/)
    .default(DEFAULT_HOST)
    .describe('an IP address or host name to listen on, such as 0.0.0.0 or ::'),
  APP_VERSION: z
    .string()
    .regex(/^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$/)
    .default('1')
    .describe('1 to 64 letters, digits, dots, dashes or underscores, starting with a letter or digit'),
  WORK_ITERATIONS: wholeNumber(0, 1e10, 1e7),
  LOG_LEVEL: z
    .enum(LOG_LEVELS)
    .default('info')
    .describe(`one of ${LOG_LEVELS.join(', ')}`),
  // Longer than the proxy's upstream keepalive_timeout (60 s), so the proxy always closes an idle
  // connection first and never sends a request on one this service has just closed.
  KEEP_ALIVE_TIMEOUT_MS: wholeNumber(1000, 600000, 65000),
  // Time between failing readiness and closing the listener, for balancers that poll readiness.
  SHUTDOWN_DELAY_MS: wholeNumber(0, 30000, 0),
  // Hard limit for a graceful shutdown; kept under the 10 s Docker waits before SIGKILL.
  SHUTDOWN_TIMEOUT_MS: wholeNumber(100, 60000, 8000),
  // The first word of every answer, from a file: an orchestrator's secret (/run/secrets/...),
  // kept out of the image and out of the environment.
  GREETING_FILE: z
    .string()
    .optional()
    .describe('a readable file that holds one word of 1 to 32 letters, such as Hello'),
});

/** The variables, and what they lead to: the greeting read from GREETING_FILE ("Hello" without). */
export const configSchema = variables.transform((config, ctx) => {
  let greeting = 'Hello';
  if (config.GREETING_FILE !== undefined) {
    try {
      greeting = readFileSync(config.GREETING_FILE, 'utf8').trim();
    } catch (error) {
      const reason = `it cannot be read: ${(error as NodeJS.ErrnoException).code ?? 'error'}`;
      ctx.addIssue({ code: 'custom', path: ['GREETING_FILE'], message: reason });
      return z.NEVER;
    }
    if (!GREETING.test(greeting)) {
      ctx.addIssue({ code: 'custom', path: ['GREETING_FILE'], message: 'it holds something else' });
      return z.NEVER;
    }
  }
  return { ...config, greeting };
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const shape = variables.shape;
type Variable = keyof typeof shape;

/**
 * Reads the config from an environment. An empty variable counts as unset, as compose passes
 * `${VAR:-}` through as an empty string. The first bad value throws a one-line ConfigError.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const input: Record<string, string> = {};
  for (const name of Object.keys(shape)) {
    const value = env[name];
    if (value !== undefined && value !== '') input[name] = value;
  }
  const result = configSchema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const name = String(issue?.path[0]) as Variable;
  const allowed = shape[name]?.description ?? 'a valid value';
  const reason = issue?.code === 'custom' ? ` (${issue.message})` : '';
  throw new ConfigError(
    `${name}=${JSON.stringify(input[name])} is not allowed: expected ${allowed}${reason}`,
  );
}
