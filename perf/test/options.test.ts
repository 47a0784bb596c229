import { describe, expect, it } from 'vitest';
import {
  DEFAULTS,
  flagOf,
  helpText,
  parsePerfOptions,
  QUICK,
  replicaCounts,
  UsageError,
} from '../src/options.js';

describe('parsePerfOptions', () => {
  it('gives the defaults for nothing', () => {
    expect(parsePerfOptions([], {})).toEqual(DEFAULTS);
  });

  it.each<[string[], Record<string, string>, Partial<typeof DEFAULTS>]>([
    [['--duration', '5'], {}, { duration: 5 }],
    [['--duration=25'], {}, { duration: 25 }],
    [[], { PERF_DURATION: '7' }, { duration: 7 }],
    [['--duration', '3'], { PERF_DURATION: '7' }, { duration: 3 }],
    [['--project', 'my-perf'], {}, { project: 'my-perf' }],
    [[], { PERF_PORT: '18999', PERF_REPORTS: '/tmp/r' }, { port: 18999, reports: '/tmp/r' }],
    [['--quick'], {}, { ...QUICK }],
    [[], { PERF_QUICK: '1' }, { ...QUICK }],
    [[], { PERF_QUICK: 'yes' }, { ...QUICK }],
    [['--replicas', '3'], { PERF_QUICK: 'off' }, { replicas: 3 }],
    [['--quick', '--replicas', '3'], {}, { ...QUICK, replicas: 3 }],
    [
      ['--server-connections', '20', '--latency-duration', '2'],
      {},
      { serverConnections: 20, latencyDuration: 2 },
    ],
    // An empty variable is unset, as compose and make pass them.
    [[], { PERF_DURATION: '' }, { duration: DEFAULTS.duration }],
  ])('%j with %j', (argv, env, expected) => {
    expect(parsePerfOptions(argv, env)).toEqual({ ...DEFAULTS, ...expected });
  });

  it.each<[string[], Record<string, string>, string]>([
    [['--project', 'hello-lab'], {}, '--project="hello-lab" is not allowed: expected a compose project name'],
    [[], { PERF_PROJECT: 'hello-lab-e2e' }, 'PERF_PROJECT="hello-lab-e2e" is not allowed'],
    [['--project', 'Has Space'], {}, '--project="Has Space" is not allowed'],
    [['--repetitions', '2'], {}, '--repetitions="2" is not allowed: expected a whole number from 3 to 20'],
    [['--port', '80'], {}, '--port="80" is not allowed: expected a port from 1024 to 65535'],
    [['--duration', '0'], {}, '--duration="0" is not allowed'],
    [
      ['--duration', '2.5'],
      {},
      '--duration="2.5" is not allowed: expected a whole number of seconds from 1 to 600',
    ],
    [['--duration'], {}, '--duration needs a value'],
    [['--durations', '5'], {}, '--durations is not an option'],
    [['extra'], {}, 'argument="extra" is not allowed: expected options only, such as --quick'],
  ])('refuses %j %j with one line', (argv, env, message) => {
    expect(() => parsePerfOptions(argv, env)).toThrow(UsageError);
    expect(() => parsePerfOptions(argv, env)).toThrow(message);
  });
});

describe('helpText', () => {
  it('names every option, its variable and its default', () => {
    const help = helpText();
    for (const key of Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[]) {
      expect(help).toContain(flagOf(key));
      expect(help).toContain(`default ${String(DEFAULTS[key])}`);
    }
  });
});

describe('replicaCounts', () => {
  it.each<[number, number[]]>([
    [3, [1, 2, 3]],
    [2, [1, 2]],
    [6, [1, 2, 6]],
  ])('up to %d: %j', (n, counts) => {
    expect(replicaCounts(n)).toEqual(counts);
  });
});
