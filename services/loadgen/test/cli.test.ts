import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { malformedWarning } from '../src/events.js';
import { helpText } from '../src/options.js';
import { built, runBuilt } from './run-built.js';
import { startHello, stopAll } from './targets.js';

const CLI = built('cli');
const dirs: string[] = [];

afterEach(async () => {
  await stopAll();
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Runs the built CLI to its end, with only the environment given (and PATH). */
const cli = (args: string[], env: Record<string, string> = {}) => runBuilt(CLI, args, env);

describe('the loadgen command', () => {
  it.each<[string[], Record<string, string>, string]>([
    [
      ['--duration=-3'],
      {},
      'loadgen: --duration="-3" is not allowed: expected a number of seconds greater than 0\n',
    ],
    [
      ['--bogus'],
      {},
      expect.stringMatching(/^loadgen: --bogus is not an option: expected one of --url, .*\n$/),
    ],
    [
      [],
      { CONNECTIONS: '5001' },
      'loadgen: CONNECTIONS="5001" is not allowed: expected a whole number from 1 to 5000\n',
    ],
    [['--url', 'ftp://x/'], {}, expect.stringMatching(/^loadgen: --url="ftp:\/\/x\/" is not allowed: .*\n$/)],
  ])('refuses %j %j: exit 2, one line on stderr, nothing on stdout', async (args, env, line) => {
    const { code, stdout, stderr } = await cli(args, env);
    expect(code).toBe(2);
    expect(stderr).toEqual(line);
    expect(stderr.split('\n')).toHaveLength(2);
    expect(stdout).toBe('');
  });

  it('prints the help and exits 0, whatever else is wrong', async () => {
    const { code, stdout, stderr } = await cli(['--duration=-3', '--help']);
    expect(code).toBe(0);
    expect(stdout).toBe(`${helpText()}\n`);
    expect(stderr).toBe('');
  });

  it('exits 1 with one line when the target does not answer', async () => {
    const { code, stderr } = await cli(['--url', 'http://127.0.0.1:9/', '--reports', tmpdir()]);
    expect(code).toBe(1);
    expect(stderr).toBe('loadgen: cannot reach http://127.0.0.1:9/: ECONNREFUSED\n');
  });

  it('measures a real hello process, prints JSON with --json and writes the reports', async () => {
    const url = await startHello('3');
    const reports = await mkdtemp(join(tmpdir(), 'loadgen-cli-'));
    dirs.push(reports);
    const { code, stdout, stderr } = await cli(['--json', '--amount', '300', '--warmup', '0'], {
      TARGET_URL: url,
      REPORTS_DIR: reports,
      LABEL: 'from the test',
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.requests).toMatchObject({ total: 300, ok: 300, non2xx: 0, errors: 0 });
    expect(result.versions).toEqual({ 3: 300 });
    expect(result.options).toMatchObject({ url, amount: 300, label: 'from the test', json: true });
    const files = (await readdir(reports)).sort();
    expect(files).toEqual([
      expect.stringMatching(/^bench-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z\.json$/),
      'bench-latest.html',
      'bench-latest.json',
    ]);
    expect(JSON.parse(await readFile(join(reports, 'bench-latest.json'), 'utf8'))).toEqual(result);
    expect(await readFile(join(reports, 'bench-latest.html'), 'utf8')).toContain('<h1>from the test</h1>');
  }, 180_000);

  it('prints the text report, and plain progress lines when stderr is not a terminal', async () => {
    const url = await startHello('1');
    const reports = await mkdtemp(join(tmpdir(), 'loadgen-cli-'));
    dirs.push(reports);
    // The events file in its default place, with a line that is not an event; a script appends
    // an event while the load runs.
    const events = join(reports, 'events.jsonl');
    await writeFile(events, 'kill hello-lab-hello-2\n');
    // The event goes in once the run measures, as a script waiting for bench-measuring.json would.
    const appended = (async () => {
      const measuring = join(reports, 'bench-measuring.json');
      const deadline = Date.now() + 60_000;
      while (!(await readdir(reports)).includes('bench-measuring.json')) {
        if (Date.now() > deadline) throw new Error(`no ${measuring} within 60 s`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const { startedAt } = JSON.parse(await readFile(measuring, 'utf8'));
      expect(Date.parse(startedAt)).toBeLessThanOrEqual(Date.now());
      const event = { time: new Date().toISOString(), kind: 'kill', detail: 'hello-lab-hello-2 (SIGKILL)' };
      await appendFile(events, `${JSON.stringify(event)}\n`);
    })();
    const { code, stdout, stderr } = await cli([
      '--url',
      url,
      '--duration',
      '7',
      '--warmup',
      '0',
      '-c',
      '2',
      '--reports',
      reports,
    ]);
    expect(code).toBe(0);
    await appended;
    expect(stdout).toContain('Hostnames (1 replica)');
    expect(stdout).toContain('Model (measured / model in brackets)');
    expect(stdout).toMatch(/\n failed 0 of \d+ requests\n/);
    expect(stdout).toMatch(/\nEvents \(1\)\n \+\d+\.\d s {2}kill {2}hello-lab-hello-2 \(SIGKILL\)\n/);
    expect(stdout).toMatch(
      new RegExp(
        `\nReports: ${reports}/bench-[^,]+.json, ${reports}/bench-latest.json, ${reports}/bench-latest.html\n$`,
      ),
    );
    // one line once five seconds have passed, no carriage returns, then the warning about the
    // events file; and the file that said the run was measuring is gone
    const [progress, warning, end] = stderr.split('\n');
    expect(progress).toMatch(/^measure +[5-7] s +\d+ req\/s +0 errors$/);
    expect(await readdir(reports)).not.toContain('bench-measuring.json');
    expect(warning).toBe(`loadgen: ${malformedWarning(events, [1])}`);
    expect(end).toBe('');
  }, 180_000);
});
