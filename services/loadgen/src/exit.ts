// What the load generator's programs (cli.ts, sweep.ts, curve.ts) share at their edges: exit
// statuses, the one-line failure, and stopping on Ctrl-C.

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
