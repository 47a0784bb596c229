import { UsageError } from '@hello-lab/shared/options';
import { describe, expect, it } from 'vitest';
import { parseSweepArgs, SWEEP_DEFAULTS, sweepHelpText } from '../src/sweep-options.js';

const USAGE = 'usage: node services/loadgen/dist/sweep.js [--reports <dir>] <bench.json>...';

describe('parseSweepArgs', () => {
  it.each<[string[], Record<string, string>, { reports: string; files: string[] }]>([
    [['a.json'], {}, { reports: SWEEP_DEFAULTS.reports, files: ['a.json'] }],
    [['a.json'], { REPORTS_DIR: '/reports' }, { reports: '/reports', files: ['a.json'] }],
    [['a.json'], { REPORTS_DIR: '' }, { reports: 'reports', files: ['a.json'] }],
    [
      ['--reports', '/out', 'a.json', 'b.json'],
      { REPORTS_DIR: '/reports' },
      { reports: '/out', files: ['a.json', 'b.json'] },
    ],
    [['a.json', '--reports=/out', 'b.json'], {}, { reports: '/out', files: ['a.json', 'b.json'] }],
    [['--', '--odd-name.json'], {}, { reports: 'reports', files: ['--odd-name.json'] }],
  ])('%j with %j', (argv, env, expected) => {
    expect(parseSweepArgs(argv, env)).toEqual(expected);
  });

  it.each<[string[], string]>([
    [[], `no bench result files given; ${USAGE}`],
    [['--reports', '/out'], `no bench result files given; ${USAGE}`],
    [['--bogus', 'a.json'], `Unknown option '--bogus'; ${USAGE}`],
    [['a.json', '--reports'], `Option '--reports <value>' argument missing; ${USAGE}`],
    [['--reports=', 'a.json'], '--reports="" is not allowed: expected a directory path'],
  ])('refuses %j with one line', (argv, message) => {
    expect(() => parseSweepArgs(argv, {})).toThrowError(new UsageError(message));
  });
});

describe('sweepHelpText', () => {
  it('shows the usage, the default and the exit statuses', () => {
    const help = sweepHelpText();
    expect(help.split('\n')[0]).toBe(`Usage: ${USAGE.slice('usage: '.length)}`);
    expect(help).toContain('env REPORTS_DIR, default reports');
    expect(help).toContain('Exit status: 0 done;');
  });
});
