// What the load generator's programs (cli.ts, sweep.ts, curve.ts, strategies/main.ts) share at
// their edges: exit statuses, the one-line failure, stopping on Ctrl-C, and runEntry, which does
// for each of them what is not its own.
import { UsageError, wantsHelp } from '@hello-lab/shared/options';

export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERRUPTED = 130;

/** One line on stderr, whatever the message holds: a failure or warning is the operator's to read. */
export function failLine(program: string, message: string): void {
  process.stderr.write(`${program}: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
}

/** The first SIGINT or SIGTERM stops the run and still reports; a second one exits at once. */
export function stopOnSignals(): AbortSignal {
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(EXIT_INTERRUPTED);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return controller.signal;
}

/** What one program has of its own; runEntry does the rest. */
export interface Entry<T> {
  /** The --help text; `--help` anywhere before `--` prints it, whatever else is wrong. */
  help(): string;
  /** The options, from the command line and the environment; a bad one throws a UsageError. */
  parse(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): T;
  /** The work, to its exit status; `fail` writes a warning as the program's one line. */
  run(options: T, fail: (message: string) => void): Promise<number>;
  /** A failure of this class is a stop by Ctrl-C or SIGTERM: EXIT_INTERRUPTED, not EXIT_FAILED. */
  interruptedBy?: new (
    message?: string,
  ) => Error;
}

/**
 * Runs a program from process.argv and process.env: its help, or its options and its work. Any
 * failure ends as one line on stderr: a UsageError, from parse or from run, exits EXIT_USAGE;
 * anything else EXIT_FAILED, or EXIT_INTERRUPTED for `interruptedBy`.
 */
export async function runEntry<T>(program: string, entry: Entry<T>): Promise<void> {
  // exitCode rather than exit(): output to a pipe is written asynchronously and must not be cut off.
  process.exitCode = await exitStatus(program, entry, process.argv.slice(2));
}

async function exitStatus<T>(program: string, entry: Entry<T>, argv: readonly string[]): Promise<number> {
  if (wantsHelp(argv)) {
    process.stdout.write(`${entry.help()}\n`);
    return 0;
  }
  try {
    return await entry.run(entry.parse(argv, process.env), (message) => failLine(program, message));
  } catch (error) {
    failLine(program, error instanceof Error ? error.message : String(error));
    if (error instanceof UsageError) return EXIT_USAGE;
    return entry.interruptedBy && error instanceof entry.interruptedBy ? EXIT_INTERRUPTED : EXIT_FAILED;
  }
}
