import { parseArgs } from 'node:util';

/** A bad setting: the message is one line naming the flag or variable, the value and what is allowed. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** What a setting accepts: `allowed` ends the error line ("expected ..."); `parse` gives undefined for text it refuses. */
export interface Setting<T> {
  allowed: string;
  parse: (text: string) => T | undefined;
}

/** A program option: a flag on the command line and a variable in the environment. */
export interface OptionSpec<T> extends Setting<T> {
  env: string;
  short?: string;
  /** Placeholder for the value in the help; absent for switches, which take no value. */
  value?: string;
  help: string;
  /** How the default reads in the help, when String(default) would not say enough. */
  shownDefault?: string;
}

export type OptionSpecs<O> = { [K in keyof O]: OptionSpec<O[K]> };

/** Where a value came from, so that an error names what the user typed. */
export interface Source {
  name: string;
  text: string;
}

export function refuse(name: string, text: string, allowed: string, reason?: string): never {
  const why = reason === undefined ? '' : ` (${reason})`;
  throw new UsageError(`${name}=${JSON.stringify(text)} is not allowed: expected ${allowed}${why}`);
}

/** A whole number from min to max; no sign, no decimals, no exponent. */
export const wholeNumber =
  (min: number, max: number) =>
  (text: string): number | undefined => {
    const value = /^\d+$/.test(text) ? Number(text) : undefined;
    return value !== undefined && value >= min && value <= max ? value : undefined;
  };

/** A number written with digits and an optional decimal part, from min to max. */
export const decimalNumber =
  (min = 0, max = Number.POSITIVE_INFINITY, { aboveMin = false } = {}) =>
  (text: string): number | undefined => {
    const value = /^\d+(\.\d+)?$/.test(text) ? Number(text) : undefined;
    if (value === undefined || value > max) return undefined;
    return (aboveMin ? value > min : value >= min) ? value : undefined;
  };

export const oneOf =
  <const T extends string>(values: readonly T[]) =>
  (text: string): T | undefined =>
    values.find((value) => value === text);

export const matching =
  (pattern: RegExp) =>
  (text: string): string | undefined =>
    pattern.test(text) ? text : undefined;

export const nonEmpty = (text: string): string | undefined => (text === '' ? undefined : text);

/** A switch's value in the environment; on the command line a switch is its flag alone. */
export function switchValue(text: string): boolean | undefined {
  if (/^(1|true|yes|on)$/i.test(text)) return true;
  if (/^(0|false|no|off)$/i.test(text)) return false;
  return undefined;
}

export const SWITCH_ALLOWED = 'no value for the flag; 1, true, 0 or false in the environment';

/** `proxyCores` is `--proxy-cores` on the command line. */
export function flagOf(key: string): string {
  return `--${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

/** True when the arguments ask for the help, which then wins over every other option; `--` ends the options. */
export function wantsHelp(argv: readonly string[]): boolean {
  for (const arg of argv) {
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
  }
  return false;
}

/**
 * The settings whose variable is set, parsed. An empty variable counts as unset, as compose
 * passes `${VAR:-}` through as "". The first bad value throws a UsageError naming the variable.
 * `nameOf` gives a setting's variable; by default its `env`, or its key when it has none.
 */
export function readEnvironment<O>(
  settings: { [K in keyof O]: Setting<O[K]> & { env?: string } },
  env: Readonly<Record<string, string | undefined>>,
): { given: Partial<O>; sources: Map<keyof O, Source> } {
  const given: Partial<O> = {};
  const sources = new Map<keyof O, Source>();
  for (const key of Object.keys(settings) as (keyof O)[]) {
    const setting = settings[key];
    const name = setting.env ?? String(key);
    const text = env[name];
    if (text === undefined || text === '') continue;
    const value = setting.parse(text);
    if (value === undefined) refuse(name, text, setting.allowed);
    given[key] = value;
    sources.set(key, { name, text });
  }
  return { given, sources };
}

/**
 * The options given in the environment and on the command line, a flag winning over its variable.
 * The first bad one throws a one-line UsageError: an unknown flag, a value a flag needs or a switch
 * refuses, an argument that is not an option (`example` shows one that is). `--help` is accepted
 * here and answered by the caller (wantsHelp).
 */
export function readOptions<O>(
  specs: OptionSpecs<O>,
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  example: string,
): { given: Partial<O>; sources: Map<keyof O, Source> } {
  const { given, sources } = readEnvironment<O>(specs, env);
  const keys = Object.keys(specs) as (keyof O & string)[];
  const set = (key: keyof O & string, name: string, text: string) => {
    const value = specs[key].parse(text);
    if (value === undefined) refuse(name, text, specs[key].allowed);
    given[key] = value;
    sources.set(key, { name, text });
  };

  const config: Record<string, { type: 'string' | 'boolean'; short?: string }> = {
    help: { type: 'boolean', short: 'h' },
  };
  for (const key of keys) {
    const spec = specs[key];
    config[flagOf(key).slice(2)] = {
      type: spec.value ? 'string' : 'boolean',
      ...(spec.short ? { short: spec.short } : {}),
    };
  }
  // Not strict: the tokens are checked here, so that every mistake gets a message of our own.
  const { tokens } = parseArgs({
    args: [...argv],
    options: config,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  for (const token of tokens) {
    if (token.kind === 'positional') refuse('argument', token.value, `options only, such as ${example}`);
    if (token.kind !== 'option' || token.name === 'help') continue;
    const key = keys.find((candidate) => flagOf(candidate) === `--${token.name}`);
    if (key === undefined) {
      const known = keys.map(flagOf).concat('--help').join(', ');
      throw new UsageError(`${token.rawName} is not an option: expected one of ${known}`);
    }
    const flag = flagOf(key);
    const spec = specs[key];
    if (spec.value) {
      if (token.value === undefined) throw new UsageError(`${flag} needs a value: expected ${spec.allowed}`);
      set(key, flag, token.value);
    } else if (token.value !== undefined) {
      refuse(flag, token.value, 'no value: it is a switch');
    } else {
      set(key, flag, 'true');
    }
  }
  return { given, sources };
}

/** An option's two help lines: its flags and what it does, then its variable and default. */
export function optionHelp<O>(
  specs: OptionSpecs<O>,
  defaults: O,
  width: number,
  note = (_key: keyof O) => '',
): string[] {
  return (Object.keys(specs) as (keyof O & string)[]).flatMap((key) => {
    const spec = specs[key];
    const names = `${spec.short ? `-${spec.short}, ` : '    '}${flagOf(key)}${spec.value ? ` ${spec.value}` : ''}`;
    const fallback = spec.shownDefault ?? (spec.value ? String(defaults[key]) : undefined);
    return [
      `  ${names.padEnd(width)}${spec.help}`,
      `  ${''.padEnd(width)}env ${spec.env}${fallback === undefined ? '' : `, default ${fallback}`}${note(key)}`,
    ];
  });
}
