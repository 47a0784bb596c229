// The comparison's options: the bench's, for the load each strategy gets, and the slow replica
// that the script made slow before the runs.
import { matching, readEnvironment, refuse, type Setting, wholeNumber } from '@hello-lab/shared/options';
import { helpText, type Options, parseOptions } from '../options.js';
import type { SlowReplica } from './comparison.js';
import { STRATEGIES } from './strategies.js';

/**
 * Keep-alive connections per strategy when CONNECTIONS is not given: a few per replica, so that
 * per-connection balancing has connections to pin and the pinning shows in the shares.
 */
export const STRATEGY_CONNECTIONS = 12;

/** How many times over the slow replica's busy loop runs when SLOW_FACTOR is not given: half speed. */
export const SLOW_FACTOR = 2;

/** The slow replica, as scripts/lab/strategies.sh passes it: from the environment only. */
export const SLOW_SETTINGS = {
  hostname: {
    env: 'SLOW_REPLICA',
    help: 'its hostname, marked in the reports; none: no replica was made slow',
    allowed: "a replica's hostname, such as 3f1c0a9b2e47",
    parse: matching(/^[A-Za-z0-9][A-Za-z0-9.-]{0,62}$/),
  },
  factor: {
    env: 'SLOW_FACTOR',
    help: `how many times over its busy loop runs; default ${SLOW_FACTOR}`,
    allowed: 'a whole number from 2 to 20, with SLOW_REPLICA',
    parse: wholeNumber(2, 20),
  },
} satisfies Record<keyof SlowReplica, Setting<unknown> & { env: string; help: string }>;

export interface StrategiesOptions {
  load: Options;
  slowReplica: SlowReplica | null;
}

/**
 * The bench's options (a flag wins over its variable), with STRATEGY_CONNECTIONS for an unset
 * CONNECTIONS, and the slow replica. A fixed rate is refused: the strategies are compared in a
 * closed loop, where a replica that answers slowly also holds its connections longer.
 */
export function parseStrategiesOptions(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): StrategiesOptions {
  const load = parseOptions(argv, { ...env, CONNECTIONS: env.CONNECTIONS || String(STRATEGY_CONNECTIONS) });
  if (load.rate !== null) {
    const name = argv.some((arg) => /^(--rate|-r)/.test(arg)) ? '--rate' : 'RATE';
    refuse(name, String(load.rate), 'no rate: the strategies are compared in a closed loop');
  }
  const { given } = readEnvironment(SLOW_SETTINGS, env);
  if (given.factor !== undefined && given.hostname === undefined) {
    refuse('SLOW_FACTOR', String(given.factor), 'no SLOW_FACTOR without SLOW_REPLICA');
  }
  const slowReplica =
    given.hostname === undefined ? null : { hostname: given.hostname, factor: given.factor ?? SLOW_FACTOR };
  return { load, slowReplica };
}

const HELP_WIDTH = 16;

export function strategiesHelpText(): string {
  const ports = STRATEGIES.map((strategy) => `  ${String(strategy.port).padEnd(6)}${strategy.name}`);
  return [
    'Usage: node services/loadgen/dist/strategies/main.js [options]',
    '',
    "Puts the same closed-loop load through each of nginx's balancing strategies in turn, one run",
    "each on the proxy's port for it, and sets throughput, p50, p99 and each replica's share of the",
    'answers side by side, with one sentence on which strategy wins and why. Prints a table and',
    'writes strategies-latest.json, a timestamped copy, strategies-latest.txt and',
    'strategies-latest.html to the reports directory.',
    '',
    'The strategies, each on the host of --url at its own port (nginx/strategies.conf):',
    ...ports,
    '',
    'The slow replica, which make strategies slows for the whole comparison:',
    ...Object.values(SLOW_SETTINGS).map((setting) => `  ${setting.env.padEnd(HELP_WIDTH)}${setting.help}`),
    '',
    `The load options are the bench's (below), except that --connections defaults to ${STRATEGY_CONNECTIONS}`,
    'and --rate is refused.',
    '',
    helpText(),
  ].join('\n');
}
