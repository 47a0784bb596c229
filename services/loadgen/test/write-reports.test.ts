import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ReportsError, reportFileNames, writeReports } from '../src/write-reports.js';
import { loadFixture } from './fixture.js';

const made: string[] = [];
afterEach(async () => {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'loadgen-reports-'));
  made.push(dir);
  return dir;
}

describe('reportFileNames', () => {
  it.each([
    ['bench', undefined],
    ['bench', 'bench'],
    ['sweep', 'sweep'],
  ] as const)('names the %s copy by the start time, without colons', (prefix, kind) => {
    expect(reportFileNames('2026-11-26T16:30:00.000Z', kind)).toEqual({
      latestJson: `${prefix}-latest.json`,
      stampedJson: `${prefix}-2026-11-26T16-30-00.000Z.json`,
      latestHtml: `${prefix}-latest.html`,
    });
  });
});

describe('writeReports', () => {
  const result = loadFixture();

  it('creates the directory and writes the JSON twice and the HTML, nothing else', async () => {
    const dir = join(await tempDir(), 'nested', 'reports');
    const written = await writeReports(dir, result, '<!doctype html>');
    expect(written).toEqual([
      join(dir, 'bench-2026-11-26T16-30-00.000Z.json'),
      join(dir, 'bench-latest.json'),
      join(dir, 'bench-latest.html'),
    ]);
    expect((await readdir(dir)).sort()).toEqual([
      'bench-2026-11-26T16-30-00.000Z.json',
      'bench-latest.html',
      'bench-latest.json',
    ]);
    expect(JSON.parse(await readFile(join(dir, 'bench-latest.json'), 'utf8'))).toEqual(result);
    expect(await readFile(join(dir, 'bench-2026-11-26T16-30-00.000Z.json'), 'utf8')).toBe(
      await readFile(join(dir, 'bench-latest.json'), 'utf8'),
    );
    expect(await readFile(join(dir, 'bench-latest.html'), 'utf8')).toBe('<!doctype html>');
  });

  it('replaces the latest files and keeps earlier copies', async () => {
    const dir = await tempDir();
    await writeReports(dir, result, 'first');
    await writeReports(dir, { ...result, startedAt: '2026-11-26T17:00:00.000Z' }, 'second');
    expect((await readdir(dir)).sort()).toEqual([
      'bench-2026-11-26T16-30-00.000Z.json',
      'bench-2026-11-26T17-00-00.000Z.json',
      'bench-latest.html',
      'bench-latest.json',
    ]);
    expect(await readFile(join(dir, 'bench-latest.html'), 'utf8')).toBe('second');
  });

  it('writes a sweep under its own names, beside the run reports', async () => {
    const dir = await tempDir();
    await writeReports(dir, result, 'run');
    const sweep = { startedAt: '2026-11-26T17:00:00.000Z', rows: [] };
    const written = await writeReports(dir, sweep, 'sweep', 'sweep');
    expect(written).toEqual([
      join(dir, 'sweep-2026-11-26T17-00-00.000Z.json'),
      join(dir, 'sweep-latest.json'),
      join(dir, 'sweep-latest.html'),
    ]);
    expect(JSON.parse(await readFile(join(dir, 'sweep-latest.json'), 'utf8'))).toEqual(sweep);
    expect(await readFile(join(dir, 'bench-latest.html'), 'utf8')).toBe('run');
    expect(await readFile(join(dir, 'sweep-latest.html'), 'utf8')).toBe('sweep');
  });

  it('writes the terminal report too when given one (the strategies comparison)', async () => {
    const dir = await tempDir();
    const written = await writeReports(dir, result, '<!doctype html>', 'strategies', 'table\n');
    expect(written).toEqual([
      join(dir, 'strategies-2026-11-26T16-30-00.000Z.json'),
      join(dir, 'strategies-latest.json'),
      join(dir, 'strategies-latest.html'),
      join(dir, 'strategies-latest.txt'),
    ]);
    expect(await readFile(join(dir, 'strategies-latest.txt'), 'utf8')).toBe('table\n');
  });

  it('fails with one line naming the directory when it cannot write', async () => {
    const file = join(await tempDir(), 'not-a-directory');
    await writeFile(file, '');
    await expect(writeReports(file, result, '')).rejects.toThrowError(
      new ReportsError(`cannot write reports to ${file}: EEXIST`),
    );
  });
});
