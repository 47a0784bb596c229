import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderSweepHtml, renderSweepText } from '../src/report/sweep-page.js';
import { sweepHelpText } from '../src/sweep-options.js';
import { sweepResult } from '../src/sweep-result.js';
import { sweepRun } from './fixture.js';
import { built, runBuilt } from './run-built.js';

const SWEEP = built('sweep');
const RUNS = [
  sweepRun({ replicas: 1, throughputRps: 180, p99Ms: 60 }),
  sweepRun({ replicas: 2, throughputRps: 320, p99Ms: 62 }),
  sweepRun({ replicas: 3, throughputRps: 330, p99Ms: 104 }),
];

let dir: string;
/** The runs' reports as the Makefile leaves them: sweep/replicas-<n>/bench-latest.json. */
let files: string[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'loadgen-sweep-'));
  files = [];
  for (const [i, run] of RUNS.entries()) {
    const runDir = join(dir, 'sweep', `replicas-${i + 1}`);
    await mkdir(runDir, { recursive: true });
    const file = join(runDir, 'bench-latest.json');
    await writeFile(file, `${JSON.stringify(run, null, 2)}\n`);
    files.push(file);
  }
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs the built entry to its end, in `dir`, with only the environment given (and PATH). */
const sweep = (args: string[], env: Record<string, string> = {}) => runBuilt(SWEEP, args, env, dir);

describe('node services/loadgen/dist/sweep.js', () => {
  it('prints the table and writes sweep-latest.json, a timestamped copy and sweep-latest.html', async () => {
    const reports = join(dir, 'reports');
    // in the order a shell glob gives them: replicas-10 would come before replicas-2
    const { code, stdout, stderr } = await sweep([
      '--reports',
      reports,
      files[2],
      files[0],
      files[1],
    ] as string[]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const expected = sweepResult(RUNS);
    expect(stdout).toBe(
      `${renderSweepText(expected)}\nReports: ${reports}/sweep-2026-11-26T16-30-00.000Z.json, ${reports}/sweep-latest.json, ${reports}/sweep-latest.html\n`,
    );
    expect((await readdir(reports)).sort()).toEqual([
      'sweep-2026-11-26T16-30-00.000Z.json',
      'sweep-latest.html',
      'sweep-latest.json',
    ]);
    expect(JSON.parse(await readFile(join(reports, 'sweep-latest.json'), 'utf8'))).toEqual(expected);
    expect(await readFile(join(reports, 'sweep-latest.html'), 'utf8')).toBe(renderSweepHtml(expected));
  });

  it.each<[string, Record<string, string>, string]>([
    ['REPORTS_DIR when there is no --reports', { REPORTS_DIR: 'from-env' }, 'from-env'],
    ['reports/ in the working directory without either', {}, 'reports'],
  ])('writes to %s', async (_, env, where) => {
    const { code } = await sweep(files, env);
    expect(code).toBe(0);
    expect(await readdir(join(dir, where))).toContain('sweep-latest.html');
  });

  it('prints the help and exits 0', async () => {
    const { code, stdout, stderr } = await sweep(['--bogus', '--help']);
    expect(code).toBe(0);
    expect(stdout).toBe(`${sweepHelpText()}\n`);
    expect(stderr).toBe('');
  });

  it.each<[string, (files: string[]) => Promise<string[]>, number, string | RegExp]>([
    [
      'a bad flag',
      async (given) => ['--bogus', ...given],
      2,
      "sweep: Unknown option '--bogus'; usage: node services/loadgen/dist/sweep.js [--reports <dir>] <bench.json>...",
    ],
    [
      'no files',
      async () => ['--reports', 'out'],
      2,
      'sweep: no bench result files given; usage: node services/loadgen/dist/sweep.js [--reports <dir>] <bench.json>...',
    ],
    [
      'a file that is not JSON',
      async (given) => {
        const html = join(dir, 'bench-latest.html');
        await writeFile(html, '<!doctype html>\n');
        return [...given, html];
      },
      2,
      /^sweep: \/.+\/bench-latest\.html is not a loadgen JSON report: not JSON$/,
    ],
    [
      'a JSON file that is not a bench result',
      async (given) => {
        const other = join(dir, 'package.json');
        await writeFile(other, '{"name": "hello-lab"}\n');
        return [other, ...given];
      },
      2,
      /^sweep: \/.+\/package\.json is not a loadgen JSON report: startedAt is missing$/,
    ],
    [
      'a file that does not exist',
      async (given) => [...given, join(dir, 'sweep', 'replicas-4', 'bench-latest.json')],
      1,
      /^sweep: cannot read \/.+\/replicas-4\/bench-latest\.json: ENOENT$/,
    ],
    [
      'a directory for a file',
      async (given) => [...given, join(dir, 'sweep')],
      1,
      /^sweep: cannot read \/.+\/sweep: EISDIR$/,
    ],
    [
      'a reports directory that cannot be made',
      async (given) => {
        const file = join(dir, 'not-a-directory');
        await writeFile(file, '');
        return ['--reports', file, ...given];
      },
      1,
      /^sweep: cannot write reports to \/.+\/not-a-directory: EEXIST$/,
    ],
  ])('refuses %s: its exit status, one line on stderr', async (_, args, status, line) => {
    const { code, stdout, stderr } = await sweep(await args(files));
    expect(code).toBe(status);
    expect(stderr.endsWith('\n')).toBe(true);
    expect(stderr.split('\n')).toHaveLength(2);
    expect(stderr.trimEnd()).toEqual(typeof line === 'string' ? line : expect.stringMatching(line));
    // no table for input it cannot read; the reports are written after the table is printed
    if (!stderr.includes('cannot write')) expect(stdout).toBe('');
  });
});
