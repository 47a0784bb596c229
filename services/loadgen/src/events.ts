import { readFile } from 'node:fs/promises';
import { round } from '@hello-lab/shared/round';

/*
 * Events: what other scripts did to the lab while the load ran (a replica killed, a rollout
 * step). They append one JSON object per line to the events file, such as
 *   {"time":"2026-11-26T17:00:00.123Z","kind":"kill","detail":"hello-lab-hello-2 (SIGKILL)"}
 * and the tool reads the file once the measurement is over. The file outlives a run (scripts only
 * append), so only the events inside the run's window are kept.
 */

/** One event of the run, placed in time from the start of the measurement. */
export interface RunEvent {
  /** When it happened, as an ISO time in UTC with milliseconds. */
  time: string;
  /** Seconds from the start of the measurement (startedAt), to the millisecond. */
  atSeconds: number;
  /** A short word saying what happened, such as kill, pause or rollout-step; any word is kept. */
  kind: string;
  /** Free text, such as the container and the signal; "" when the line had none. */
  detail: string;
}

/** The measured window, as a result states it: events from the start to the finish are kept. */
export interface EventWindow {
  startedAt: string;
  finishedAt: string;
}

export interface ParsedEvents {
  /** The events inside the window, in time order. */
  events: RunEvent[];
  /** Line numbers (from 1) of the lines that are not events; blank lines do not count. */
  malformedLines: number[];
}

/**
 * ISO 8601 with a zone, so that the instant is unambiguous: `date -u +%FT%T.%3NZ`, `date -Ins`
 * (which writes a comma) and JavaScript's toISOString() all match. Groups: the date and time to
 * the second, the fraction, the zone.
 */
const ISO_TIME = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:[.,](\d+))?(Z|[+-]\d\d:?\d\d)$/;

/** Milliseconds since the epoch, or undefined for text that is not a time with a zone. */
export function parseEventTime(text: string): number | undefined {
  const match = ISO_TIME.exec(text);
  if (!match) return undefined;
  const [, seconds, fraction = '', zone = 'Z'] = match;
  const millis = fraction.padEnd(3, '0').slice(0, 3);
  const offset = zone === 'Z' ? zone : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const ms = Date.parse(`${seconds}.${millis}${offset}`);
  return Number.isNaN(ms) ? undefined : ms;
}

const CONTROL = /\p{Cc}/gu;

/** A kind is one short word: it is a column in the text report and a label in the HTML one. */
const KIND = /^[^\s\p{Cc}]{1,32}$/u;

interface EventLine {
  ms: number;
  kind: string;
  detail: string;
}

/** What an events line says, or undefined when the line is not an event. */
function parseLine(line: string): EventLine | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { time, kind, detail = '' } = value as Record<string, unknown>;
  if (typeof time !== 'string' || typeof kind !== 'string' || typeof detail !== 'string') return undefined;
  const ms = parseEventTime(time);
  if (ms === undefined || !KIND.test(kind)) return undefined;
  // A detail is one line in both reports: a newline or an escape sequence would break the text one.
  return { ms, kind, detail: detail.replace(CONTROL, ' ').trim() };
}

/**
 * The events of an events file that fall inside the window (both ends included), in time order,
 * and the numbers of the lines that are not events. Pure: the caller reads the file.
 */
export function parseEvents(text: string, window: EventWindow): ParsedEvents {
  const startMs = Date.parse(window.startedAt);
  const finishMs = Date.parse(window.finishedAt);
  const inWindow: EventLine[] = [];
  const malformedLines: number[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    const event = parseLine(line);
    if (event === undefined) malformedLines.push(i + 1);
    else if (event.ms >= startMs && event.ms <= finishMs) inWindow.push(event);
  });
  // Several scripts append to one file, so their lines need not be in order; the sort is stable.
  inWindow.sort((a, b) => a.ms - b.ms);
  const events = inWindow.map(({ ms, kind, detail }) => ({
    time: new Date(ms).toISOString(),
    atSeconds: round((ms - startMs) / 1000, 3),
    kind,
    detail,
  }));
  return { events, malformedLines };
}

const LINES_NAMED = 5;

/** The one-line warning about lines that are not events, or null when every line was one. */
export function malformedWarning(path: string, malformedLines: readonly number[]): string | null {
  if (malformedLines.length === 0) return null;
  const named = malformedLines.slice(0, LINES_NAMED).join(', ');
  const more = malformedLines.length > LINES_NAMED ? ', ...' : '';
  const lines = malformedLines.length === 1 ? 'line' : 'lines';
  return `${path}: skipped ${malformedLines.length} malformed ${lines} (${named}${more}): each line must be {"time":"<ISO 8601 time with zone>","kind":"<one word>","detail":"<text>"}`;
}

export interface EventsRead {
  events: RunEvent[];
  /** One line for stderr when something was skipped or the file could not be read. */
  warning: string | null;
}

/** Reads the events file: a missing file means no events, and nothing in it stops the run. */
export async function readEvents(path: string, window: EventWindow): Promise<EventsRead> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    if (code === 'ENOENT') return { events: [], warning: null };
    return { events: [], warning: `${path}: cannot read the events: ${code ?? message}` };
  }
  const { events, malformedLines } = parseEvents(text, window);
  return { events, warning: malformedWarning(path, malformedLines) };
}
