import { availableParallelism } from 'node:os';
import { UsageError, wantsHelp } from '@hello-lab/shared/options';
import { describe, expect, it } from 'vitest';
import {
  DEFAULTS,
  eventsFile,
  flagOf,
  helpText,
  OPTION_SPECS,
  type Options,
  parseOptions,
} from '../src/options.js';

describe('parseOptions', () => {
  it('gives the defaults for no arguments and an empty environment', () => {
    expect(parseOptions([], {})).toEqual(DEFAULTS);
    expect(DEFAULTS).toEqual({
      url: 'http://nginx:8080/',
      duration: 10,
      amount: null,
      connections: 10,
      pipelining: 1,
      warmup: 1,
      rate: null,
      arrivals: 'constant',
      cores: availableParallelism(),
      proxyCores: 0.1,
      otherCores: null,
      reports: 'reports',
      events: null,
      label: null,
      json: false,
      quiet: false,
    });
  });

  it.each<[string[], Record<string, string>, Partial<Options>]>([
    [['--url', 'http://127.0.0.1:8080/'], {}, { url: 'http://127.0.0.1:8080/' }],
    [['--url=https://example.test'], {}, { url: 'https://example.test/' }],
    [['-u', 'http://[::1]:9000/x?y=1'], {}, { url: 'http://[::1]:9000/x?y=1' }],
    [['--duration', '2.5'], {}, { duration: 2.5 }],
    [['-d', '30'], {}, { duration: 30 }],
    [['--amount', '600'], {}, { amount: 600 }],
    [['-a', '10', '-c', '10'], {}, { amount: 10, connections: 10 }],
    [['--connections=5000'], {}, { connections: 5000 }],
    [['--pipelining', '4'], {}, { pipelining: 4 }],
    [['--warmup', '0'], {}, { warmup: 0 }],
    [['--rate', '250'], {}, { rate: 250 }],
    [['--rate', '250', '--arrivals', 'poisson'], {}, { rate: 250, arrivals: 'poisson' }],
    [[], { RATE: '50', ARRIVALS: 'constant' }, { rate: 50, arrivals: 'constant' }],
    [['--cores', '1.5', '--proxy-cores', '0'], {}, { cores: 1.5, proxyCores: 0 }],
    [['--other-cores', '0.5'], {}, { otherCores: 0.5 }],
    [['--other-cores=0'], {}, { otherCores: 0 }],
    [['--reports', '/tmp/out'], {}, { reports: '/tmp/out' }],
    [['--events', '/tmp/e.jsonl'], {}, { events: '/tmp/e.jsonl' }],
    [[], { EVENTS_FILE: '/reports/rollout.jsonl' }, { events: '/reports/rollout.jsonl' }],
    [['--label', 'three replicas, v2'], {}, { label: 'three replicas, v2' }],
    [['--json', '-q'], {}, { json: true, quiet: true }],
    [['-jq'], {}, { json: true, quiet: true }],
    // The environment, as compose passes it through
    [
      [],
      { TARGET_URL: 'http://nginx:8080/slow', DURATION: '3' },
      { url: 'http://nginx:8080/slow', duration: 3 },
    ],
    [
      [],
      { CONNECTIONS: '50', PIPELINING: '2', WARMUP: '0.5' },
      { connections: 50, pipelining: 2, warmup: 0.5 },
    ],
    [[], { AMOUNT: '100', RATE: '40' }, { amount: 100, rate: 40 }],
    [[], { CORES: '4', PROXY_CORES: '0.25' }, { cores: 4, proxyCores: 0.25 }],
    [[], { CORES: '4', OTHER_CORES: '1.25' }, { cores: 4, otherCores: 1.25 }],
    [[], { REPORTS_DIR: '/reports', LABEL: 'baseline' }, { reports: '/reports', label: 'baseline' }],
    [[], { JSON: 'true', QUIET: '1' }, { json: true, quiet: true }],
    [[], { JSON: 'no', QUIET: 'off' }, { json: false, quiet: false }],
    // compose passes ${VAR:-} as "": that means unset
    [[], { DURATION: '', RATE: '', LABEL: '' }, { duration: 10, rate: null, label: null }],
    [[], { OTHER_CORES: '' }, { otherCores: null }],
    // a flag wins over its variable
    [['--duration', '5'], { DURATION: '60' }, { duration: 5 }],
    [['--json'], { JSON: '0' }, { json: true }],
    // --help is accepted here; the caller answers it
    [['--help'], {}, {}],
  ])('reads %j with env %j', (argv, env, expected) => {
    expect(parseOptions(argv, env)).toEqual({ ...DEFAULTS, ...expected });
  });

  it.each<[string[], Record<string, string>, string]>([
    [['--duration=-3'], {}, '--duration="-3" is not allowed: expected a number of seconds greater than 0'],
    [['--duration', '-3'], {}, '--duration="-3" is not allowed: expected a number of seconds greater than 0'],
    [['-d', '0'], {}, '--duration="0" is not allowed: expected a number of seconds greater than 0'],
    [
      ['--duration', 'ten'],
      {},
      '--duration="ten" is not allowed: expected a number of seconds greater than 0',
    ],
    [
      ['--duration', '1e3'],
      {},
      '--duration="1e3" is not allowed: expected a number of seconds greater than 0',
    ],
    [[], { DURATION: '-3' }, 'DURATION="-3" is not allowed: expected a number of seconds greater than 0'],
    [
      ['--url', 'ftp://host/'],
      {},
      '--url="ftp://host/" is not allowed: expected an http:// or https:// URL, such as http://127.0.0.1:8080/',
    ],
    [
      ['--url', 'nginx:8080'],
      {},
      '--url="nginx:8080" is not allowed: expected an http:// or https:// URL, such as http://127.0.0.1:8080/',
    ],
    [
      [],
      { TARGET_URL: '127.0.0.1:8080' },
      'TARGET_URL="127.0.0.1:8080" is not allowed: expected an http:// or https:// URL, such as http://127.0.0.1:8080/',
    ],
    [
      ['--connections', '5001'],
      {},
      '--connections="5001" is not allowed: expected a whole number from 1 to 5000',
    ],
    [['-c', '0'], {}, '--connections="0" is not allowed: expected a whole number from 1 to 5000'],
    [['-c', '2.5'], {}, '--connections="2.5" is not allowed: expected a whole number from 1 to 5000'],
    [['-c', 'many'], {}, '--connections="many" is not allowed: expected a whole number from 1 to 5000'],
    [
      [],
      { CONNECTIONS: '5001' },
      'CONNECTIONS="5001" is not allowed: expected a whole number from 1 to 5000',
    ],
    [['--pipelining', '0'], {}, '--pipelining="0" is not allowed: expected a whole number from 1 to 100'],
    [
      ['--amount', '0'],
      {},
      '--amount="0" is not allowed: expected a whole number of requests from 1 to 1000000000',
    ],
    [
      ['--amount', '5'],
      {},
      '--amount="5" is not allowed: expected a whole number of requests, at least --connections (10)',
    ],
    [
      [],
      { AMOUNT: '5' },
      'AMOUNT="5" is not allowed: expected a whole number of requests, at least --connections (10)',
    ],
    [['--warmup', '-1'], {}, '--warmup="-1" is not allowed: expected a number of seconds, 0 or more'],
    [
      ['--rate', '0'],
      {},
      '--rate="0" is not allowed: expected a whole number of requests per second from 1 to 1000000',
    ],
    [
      ['--rate', '12.5'],
      {},
      '--rate="12.5" is not allowed: expected a whole number of requests per second from 1 to 1000000',
    ],
    [
      ['--cores', '0'],
      {},
      '--cores="0" is not allowed: expected a number of cores greater than 0, at most 1024',
    ],
    [
      ['--cores', '2', '--proxy-cores', '2'],
      {},
      '--proxy-cores="2" is not allowed: expected a number of cores, 0 or more and less than --cores (2)',
    ],
    [
      ['--cores', '2', '--other-cores', '2'],
      {},
      '--other-cores="2" is not allowed: expected a number of cores, 0 or more and less than --cores (2)',
    ],
    [
      [],
      { CORES: '1', OTHER_CORES: '1.5' },
      'OTHER_CORES="1.5" is not allowed: expected a number of cores, 0 or more and less than --cores (1)',
    ],
    [
      ['--other-cores', '-1'],
      {},
      '--other-cores="-1" is not allowed: expected a number of cores, 0 or more and less than --cores',
    ],
    [
      [],
      { OTHER_CORES: 'some' },
      'OTHER_CORES="some" is not allowed: expected a number of cores, 0 or more and less than --cores',
    ],
    [
      ['--rate', '100', '--arrivals', 'bursts'],
      {},
      '--arrivals="bursts" is not allowed: expected constant or poisson',
    ],
    [
      ['--arrivals', 'poisson'],
      {},
      '--arrivals="poisson" is not allowed: expected constant or poisson, together with --rate: a closed loop has no schedule',
    ],
    [
      [],
      { RATE: '100', PIPELINING: '4' },
      'PIPELINING="4" is not allowed: expected 1 with --rate: the open loop sends one request at a time on each connection',
    ],
    [['--reports='], {}, '--reports="" is not allowed: expected a directory path'],
    [['--events='], {}, '--events="" is not allowed: expected a file path'],
    [
      ['--label', 'a\tb'],
      {},
      '--label="a\\tb" is not allowed: expected 1 to 80 characters, no control characters',
    ],
    [
      ['--label', 'x'.repeat(81)],
      {},
      `--label="${'x'.repeat(81)}" is not allowed: expected 1 to 80 characters, no control characters`,
    ],
    [
      [],
      { JSON: 'maybe' },
      'JSON="maybe" is not allowed: expected no value for the flag; 1, true, 0 or false in the environment',
    ],
    [['--json=yes'], {}, '--json="yes" is not allowed: expected no value: it is a switch'],
    [['--duration'], {}, '--duration needs a value: expected a number of seconds greater than 0'],
    [
      ['--frobnicate'],
      {},
      '--frobnicate is not an option: expected one of --url, --duration, --amount, --connections, --pipelining, --warmup, --rate, --arrivals, --cores, --proxy-cores, --other-cores, --reports, --events, --label, --json, --quiet, --help',
    ],
    [
      ['-x'],
      {},
      '-x is not an option: expected one of --url, --duration, --amount, --connections, --pipelining, --warmup, --rate, --arrivals, --cores, --proxy-cores, --other-cores, --reports, --events, --label, --json, --quiet, --help',
    ],
    [
      ['http://127.0.0.1:8080/'],
      {},
      'argument="http://127.0.0.1:8080/" is not allowed: expected options only, such as --url=http://127.0.0.1:8080/',
    ],
  ])('refuses %j with env %j in one line', (argv, env, message) => {
    expect(() => parseOptions(argv, env)).toThrowError(new UsageError(message));
    expect(message).not.toContain('\n');
  });

  it('stops at the first bad option, flags after variables', () => {
    expect(() => parseOptions(['--connections', '0'], { DURATION: 'x' })).toThrowError(/^DURATION="x"/);
  });
});

describe('eventsFile', () => {
  it.each<[Partial<Options>, string]>([
    [{}, 'reports/events.jsonl'],
    [{ reports: '/reports' }, '/reports/events.jsonl'],
    [{ reports: '/reports/', events: null }, '/reports/events.jsonl'],
    [{ reports: '/reports', events: '/tmp/rollout.jsonl' }, '/tmp/rollout.jsonl'],
  ])('%j -> %s', (options, expected) => {
    expect(eventsFile({ ...DEFAULTS, ...options })).toBe(expected);
  });
});

describe('wantsHelp', () => {
  it.each<[string[], boolean]>([
    [['--help'], true],
    [['-h'], true],
    [['--duration', '-3', '--help'], true],
    [[], false],
    [['--json'], false],
    [['--', '--help'], false],
  ])('%j -> %s', (argv, expected) => {
    expect(wantsHelp(argv)).toBe(expected);
  });
});

describe('helpText', () => {
  const help = helpText();

  it('lists every option with its variable and the default from DEFAULTS', () => {
    for (const key of Object.keys(DEFAULTS) as Array<keyof Options>) {
      const spec = OPTION_SPECS[key];
      expect(help).toContain(flagOf(key));
      expect(help).toContain(`env ${spec.env}`);
    }
    expect(help).toContain('default http://nginx:8080/');
    expect(help).toContain('env DURATION, default 10');
    expect(help).toContain('env CONNECTIONS, default 10');
    expect(help).toContain(`env CORES, default ${availableParallelism()}`);
    expect(help).toContain('env EVENTS_FILE, default <reports dir>/events.jsonl');
    expect(help).toContain('env OTHER_CORES, default measured, 0.5 s before the warm-up');
  });

  it('gives the events file its format', () => {
    expect(help).toContain(
      '{"time":"2026-11-26T17:00:00.123Z","kind":"kill","detail":"hello-lab-hello-2 (SIGKILL)"}',
    );
  });

  it('explains closed and open loops, and fits a terminal', () => {
    expect(help).toContain('coordinated omission');
    expect(help).toMatch(/Open loop \(--rate\)/);
    for (const line of help.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });
});
