import type { Progress } from './run.js';

/** One progress line, such as `measure   12 s   312 req/s   0 errors`. */
export function formatProgress(progress: Progress): string {
  const errors = `${progress.errors} ${progress.errors === 1 ? 'error' : 'errors'}`;
  return [
    progress.phase.padEnd(7),
    `${Math.round(progress.elapsedSeconds)} s`.padStart(6),
    `${progress.requestsPerSecond} req/s`.padStart(12),
    errors.padStart(11),
  ].join('  ');
}

/**
 * How progress shows: rewritten in place on a terminal, a plain line every few seconds
 * otherwise (logs, `docker compose run` without a TTY), or not at all.
 */
export type ProgressMode = 'tty' | 'lines' | 'off';

export const LINE_EVERY_SECONDS = 5;

export interface ProgressWriter {
  update(progress: Progress): void;
  /** Clears the in-place line, so that what follows starts on a clean line. */
  end(): void;
}

export function progressWriter(write: (text: string) => void, mode: ProgressMode): ProgressWriter {
  let shown = false;
  let lastPhase: Progress['phase'] | undefined;
  let lastLine = 0;
  return {
    update(progress) {
      if (mode === 'off') return;
      if (mode === 'tty') {
        // \r returns to the line start; ESC[K erases what a longer previous line left.
        write(`\r${formatProgress(progress)}\u001b[K`);
        shown = true;
        return;
      }
      // A line each time the elapsed time passes a multiple of five seconds, counted per phase.
      const step = Math.floor(progress.elapsedSeconds / LINE_EVERY_SECONDS + 0.01);
      if (progress.phase !== lastPhase) lastLine = 0;
      lastPhase = progress.phase;
      if (step > lastLine) write(`${formatProgress(progress)}\n`);
      lastLine = Math.max(lastLine, step);
    },
    end() {
      if (shown) write('\r\u001b[K');
      shown = false;
    },
  };
}
