// runEntry in this process: its output and exit status caught by spies, the status read back from
// process.exitCode and put back after each test (vitest would otherwise exit with it).
import { UsageError } from '@hello-lab/shared/options';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { type Entry, EXIT_FAILED, EXIT_INTERRUPTED, EXIT_USAGE, runEntry } from '../src/exit.js';

class Stopped extends Error {}

const argv = process.argv;
let stdout: MockInstance<typeof process.stdout.write>;
let stderr: MockInstance<typeof process.stderr.write>;

beforeEach(() => {
  stdout = vi.spyOn(process.stdout, 'write').mockReturnValue(true);
  stderr = vi.spyOn(process.stderr, 'write').mockReturnValue(true);
});

afterEach(() => {
  vi.restoreAllMocks();
  process.argv = argv;
  process.exitCode = undefined;
});

/** Runs the entry with these arguments; its exit status and what it wrote. */
async function run(entry: Partial<Entry<string[]>>, args: string[] = []) {
  stdout.mockClear();
  stderr.mockClear();
  process.exitCode = undefined;
  process.argv = ['node', 'entry.js', ...args];
  await runEntry('prog', {
    help: () => 'Usage: prog',
    parse: (argv) => [...argv],
    run: async () => 0,
    ...entry,
  });
  const written = (spy: typeof stdout) => spy.mock.calls.map(([chunk]) => String(chunk)).join('');
  return { code: process.exitCode, stdout: written(stdout), stderr: written(stderr) };
}

describe('runEntry', () => {
  it('runs the work with the parsed options, and exits with its status', async () => {
    const work = vi.fn(async (options: string[]) => {
      process.stdout.write(`${options.join(' ')}\n`);
      return 0;
    });
    expect(await run({ run: work }, ['--a', 'b'])).toEqual({ code: 0, stdout: '--a b\n', stderr: '' });
    expect(await run({ run: async () => EXIT_INTERRUPTED })).toMatchObject({ code: 130, stderr: '' });
  });

  it('gives the parser the environment', async () => {
    const parse = vi.fn(() => []);
    await run({ parse }, ['x']);
    expect(parse).toHaveBeenCalledWith(['x'], process.env);
  });

  it('prints the help and exits 0 without parsing, whatever else is wrong', async () => {
    const parse = vi.fn(() => {
      throw new UsageError('never asked');
    });
    expect(await run({ parse }, ['--bad', '-h'])).toEqual({ code: 0, stdout: 'Usage: prog\n', stderr: '' });
    expect(parse).not.toHaveBeenCalled();
  });

  it('exits 2 with one line for a bad option, without running the work', async () => {
    const work = vi.fn(async () => 0);
    const parse = () => {
      throw new UsageError('--x="1" is not allowed: expected\n  nothing');
    };
    expect(await run({ parse, run: work })).toEqual({
      code: EXIT_USAGE,
      stdout: '',
      stderr: 'prog: --x="1" is not allowed: expected nothing\n',
    });
    expect(work).not.toHaveBeenCalled();
  });

  it('exits 2 for a usage error that the work throws', async () => {
    const work = async () => {
      throw new UsageError('a.json is not a report');
    };
    expect(await run({ run: work })).toMatchObject({
      code: EXIT_USAGE,
      stderr: 'prog: a.json is not a report\n',
    });
  });

  it('exits 1 with one line when the work fails, whatever it throws', async () => {
    const failing = (thrown: unknown) => async () => {
      throw thrown;
    };
    expect(await run({ run: failing(new Error('cannot reach x: ECONNREFUSED')) })).toEqual({
      code: EXIT_FAILED,
      stdout: '',
      stderr: 'prog: cannot reach x: ECONNREFUSED\n',
    });
    expect(await run({ run: failing('not an error') })).toMatchObject({
      code: 1,
      stderr: 'prog: not an error\n',
    });
    expect(await run({ run: failing(new Stopped('stopped')) })).toMatchObject({ code: 1 });
  });

  it('exits 130 for a failure of the interruptedBy class, still with its line', async () => {
    const work = async () => {
      throw new Stopped('stopped before the measurement started');
    };
    expect(await run({ run: work, interruptedBy: Stopped })).toEqual({
      code: EXIT_INTERRUPTED,
      stdout: '',
      stderr: 'prog: stopped before the measurement started\n',
    });
  });

  it("hands the work a fail that writes the program's one line", async () => {
    const work = async (_: string[], fail: (message: string) => void) => {
      fail('a warning\nover two lines');
      return 0;
    };
    expect(await run({ run: work })).toEqual({
      code: 0,
      stdout: '',
      stderr: 'prog: a warning over two lines\n',
    });
  });
});
