import { describe, expect, it } from 'vitest';
import {
  decimalNumber,
  flagOf,
  nonEmpty,
  type OptionSpecs,
  optionHelp,
  readEnvironment,
  readOptions,
  refuse,
  SWITCH_ALLOWED,
  switchValue,
  UsageError,
  wantsHelp,
  wholeNumber,
} from '../src/options.js';

interface Demo {
  proxyCores: number;
  label: string;
  quiet: boolean;
}

const DEFAULTS: Demo = { proxyCores: 0.1, label: 'none', quiet: false };

const SPECS: OptionSpecs<Demo> = {
  proxyCores: {
    env: 'PROXY_CORES',
    value: '<n>',
    help: 'cores of the proxy',
    allowed: 'a number of cores, 0 or more',
    parse: decimalNumber(),
  },
  label: {
    env: 'LABEL',
    short: 'l',
    value: '<text>',
    help: 'a name',
    allowed: 'some text',
    parse: nonEmpty,
    shownDefault: 'none at all',
  },
  quiet: { env: 'QUIET', short: 'q', help: 'no progress', allowed: SWITCH_ALLOWED, parse: switchValue },
};

const read = (argv: string[], env: Record<string, string> = {}) => readOptions(SPECS, argv, env, '--label=x');

describe('readOptions', () => {
  it.each<[string[], Record<string, string>, Partial<Demo>]>([
    [[], {}, {}],
    [['--proxy-cores', '0.5'], {}, { proxyCores: 0.5 }],
    [['--proxy-cores=2'], {}, { proxyCores: 2 }],
    [['-l', 'a b', '-q'], {}, { label: 'a b', quiet: true }],
    [[], { PROXY_CORES: '1', QUIET: 'yes' }, { proxyCores: 1, quiet: true }],
    // an empty variable is unset, as compose passes ${VAR:-}
    [[], { LABEL: '', QUIET: '' }, {}],
    // a flag wins over its variable
    [['--label', 'flag'], { LABEL: 'variable' }, { label: 'flag' }],
    [['--quiet'], { QUIET: 'off' }, { quiet: true }],
    // --help is accepted; the caller answers it
    [['--help', '-h'], {}, {}],
  ])('reads %j with env %j', (argv, env, expected) => {
    expect(read(argv, env).given).toEqual(expected);
  });

  it('says where each value came from', () => {
    const { sources } = read(['--label', 'x'], { QUIET: '1' });
    expect(Object.fromEntries(sources)).toEqual({
      label: { name: '--label', text: 'x' },
      quiet: { name: 'QUIET', text: '1' },
    });
  });

  it.each<[string[], Record<string, string>, string]>([
    [['--proxy-cores', '-1'], {}, '--proxy-cores="-1" is not allowed: expected a number of cores, 0 or more'],
    [[], { PROXY_CORES: 'x' }, 'PROXY_CORES="x" is not allowed: expected a number of cores, 0 or more'],
    [['--label'], {}, '--label needs a value: expected some text'],
    [['--label='], {}, '--label="" is not allowed: expected some text'],
    [['--quiet=yes'], {}, '--quiet="yes" is not allowed: expected no value: it is a switch'],
    [
      [],
      { QUIET: 'maybe' },
      'QUIET="maybe" is not allowed: expected no value for the flag; 1, true, 0 or false in the environment',
    ],
    [['--loud'], {}, '--loud is not an option: expected one of --proxy-cores, --label, --quiet, --help'],
    [['-x'], {}, '-x is not an option: expected one of --proxy-cores, --label, --quiet, --help'],
    [['extra'], {}, 'argument="extra" is not allowed: expected options only, such as --label=x'],
    [['--', '--quiet'], {}, 'argument="--quiet" is not allowed: expected options only, such as --label=x'],
    // variables first, then flags: the first bad one is named
    [['--loud'], { LABEL: '', PROXY_CORES: 'x' }, 'PROXY_CORES="x" is not allowed'],
  ])('refuses %j with env %j in one line', (argv, env, message) => {
    expect(() => read(argv, env)).toThrowError(UsageError);
    expect(() => read(argv, env)).toThrowError(message);
  });
});

describe('readEnvironment', () => {
  const settings = {
    PORT: { allowed: 'a port', parse: wholeNumber(1, 65535) },
    workers: { env: 'WORKERS', allowed: 'a count', parse: wholeNumber(1, 8) },
  };

  it('names a setting by its env, else by its key, and skips empty variables', () => {
    const { given, sources } = readEnvironment(settings, { PORT: '80', WORKERS: '', workers: '3' });
    expect(given).toEqual({ PORT: 80 });
    expect(sources.get('PORT')).toEqual({ name: 'PORT', text: '80' });
  });

  it('refuses the first bad value, naming the variable', () => {
    expect(() => readEnvironment(settings, { PORT: '0', WORKERS: '9' })).toThrowError(
      new UsageError('PORT="0" is not allowed: expected a port'),
    );
  });
});

describe('switchValue', () => {
  it.each<[string, boolean | undefined]>([
    ['1', true],
    ['true', true],
    ['YES', true],
    ['on', true],
    ['0', false],
    ['False', false],
    ['no', false],
    ['off', false],
    ['maybe', undefined],
    ['', undefined],
    ['2', undefined],
  ])('%j -> %s', (text, expected) => {
    expect(switchValue(text)).toBe(expected);
  });
});

describe('wantsHelp', () => {
  it('finds --help or -h anywhere among the options, and no other flag', () => {
    expect(wantsHelp(['--label', 'x', '--help'])).toBe(true);
    expect(wantsHelp(['-q', '-h'])).toBe(true);
    expect(wantsHelp(['--helpful'])).toBe(false);
    expect(wantsHelp([])).toBe(false);
  });

  it('stops at --: what follows is an argument, not an option', () => {
    expect(wantsHelp(['--', '--help'])).toBe(false);
    expect(wantsHelp(['-q', '--', '-h'])).toBe(false);
  });
});

describe('the parsers', () => {
  it.each<[string, number | undefined]>([
    ['0', undefined],
    ['1', 1],
    ['10', 10],
    ['11', undefined],
    ['2.5', undefined],
    ['-1', undefined],
    ['1e1', undefined],
  ])('wholeNumber(1, 10) reads %j as %s', (text, expected) => {
    expect(wholeNumber(1, 10)(text)).toBe(expected);
  });

  it.each<[string, number | undefined]>([
    ['0', undefined],
    ['0.5', 0.5],
    ['4', 4],
    ['4.1', undefined],
    ['.5', undefined],
  ])('decimalNumber(0, 4, above 0) reads %j as %s', (text, expected) => {
    expect(decimalNumber(0, 4, { aboveMin: true })(text)).toBe(expected);
  });

  it('refuse gives the reason after what is allowed', () => {
    expect(() => refuse('FILE', '/x', 'a readable file', 'it cannot be read: ENOENT')).toThrowError(
      new UsageError('FILE="/x" is not allowed: expected a readable file (it cannot be read: ENOENT)'),
    );
  });
});

describe('optionHelp', () => {
  it('gives two lines an option: flags and help, then variable and default', () => {
    expect(flagOf('proxyCores')).toBe('--proxy-cores');
    expect(optionHelp(SPECS, DEFAULTS, 22, (key) => (key === 'quiet' ? ' (a switch)' : ''))).toEqual([
      '      --proxy-cores <n> cores of the proxy',
      '                        env PROXY_CORES, default 0.1',
      '  -l, --label <text>    a name',
      '                        env LABEL, default none at all',
      '  -q, --quiet           no progress',
      '                        env QUIET (a switch)',
    ]);
  });
});
