import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  malformedWarning,
  type ParsedEvents,
  parseEvents,
  parseEventTime,
  type RunEvent,
  readEvents,
} from '../src/events.js';

const WINDOW = { startedAt: '2026-11-26T16:30:00.000Z', finishedAt: '2026-11-26T16:30:10.004Z' };

/** An events line as the lab's scripts write it. */
const line = (time: string, kind: string, detail?: string) => JSON.stringify({ time, kind, detail });

describe('parseEventTime', () => {
  it.each<[string, string | undefined]>([
    ['2026-11-26T16:30:04.210Z', '2026-11-26T16:30:04.210Z'],
    ['2026-11-26T16:30:04Z', '2026-11-26T16:30:04.000Z'],
    ['2026-11-26T16:30:04.2Z', '2026-11-26T16:30:04.200Z'],
    // `date -Ins`: a comma and nanoseconds, cut to the millisecond
    ['2026-11-26T17:30:04,210987654+01:00', '2026-11-26T16:30:04.210Z'],
    ['2026-11-26T11:30:04.210-05:00', '2026-11-26T16:30:04.210Z'],
    ['2026-11-26T17:30:04.210+0100', '2026-11-26T16:30:04.210Z'],
    // no zone: local time, ambiguous
    ['2026-11-26T16:30:04.210', undefined],
    ['2026-11-26 16:30:04Z', undefined],
    ['2026-11-26', undefined],
    ['Thu Nov 26 16:30:04 UTC 2026', undefined],
    ['1795710604210', undefined],
    ['2026-13-45T16:30:04Z', undefined],
    ['', undefined],
  ])('%j -> %s', (text, expected) => {
    const ms = parseEventTime(text);
    expect(ms === undefined ? undefined : new Date(ms).toISOString()).toBe(expected);
  });
});

describe('parseEvents', () => {
  const kill: RunEvent = {
    time: '2026-11-26T16:30:04.210Z',
    atSeconds: 4.21,
    kind: 'kill',
    detail: 'hello-lab-hello-2 (SIGKILL)',
  };

  it.each<[string, string[], ParsedEvents]>([
    ['an empty file', [], { events: [], malformedLines: [] }],
    ['blank lines only', ['', '  ', ''], { events: [], malformedLines: [] }],
    [
      'one event, placed from the start of the measurement',
      [line(kill.time, kill.kind, kill.detail)],
      { events: [kill], malformedLines: [] },
    ],
    [
      'both ends of the window, and nothing outside it',
      [
        line('2026-11-26T16:29:59.999Z', 'kill', 'in the warm-up'),
        line('2026-11-26T16:30:00.000Z', 'rollout-start', 'at the start'),
        line('2026-11-26T16:30:10.004Z', 'rollout-done', 'at the finish'),
        line('2026-11-26T16:30:10.005Z', 'restart-nginx', 'after the run'),
        line('2026-11-25T09:00:00.000Z', 'kill', 'a run of yesterday'),
      ],
      {
        events: [
          { time: WINDOW.startedAt, atSeconds: 0, kind: 'rollout-start', detail: 'at the start' },
          { time: WINDOW.finishedAt, atSeconds: 10.004, kind: 'rollout-done', detail: 'at the finish' },
        ],
        malformedLines: [],
      },
    ],
    [
      'lines out of order, from two scripts: sorted by time, ties kept in file order',
      [
        line('2026-11-26T16:30:05.000Z', 'recovered', 'b'),
        line('2026-11-26T16:30:01.000Z', 'pause', 'a'),
        line('2026-11-26T16:30:05.000Z', 'unpause', 'c'),
      ],
      {
        events: [
          { time: '2026-11-26T16:30:01.000Z', atSeconds: 1, kind: 'pause', detail: 'a' },
          { time: '2026-11-26T16:30:05.000Z', atSeconds: 5, kind: 'recovered', detail: 'b' },
          { time: '2026-11-26T16:30:05.000Z', atSeconds: 5, kind: 'unpause', detail: 'c' },
        ],
        malformedLines: [],
      },
    ],
    [
      'any kind that is one word, no detail, extra fields, an offset and CRLF line ends',
      [
        `${JSON.stringify({ time: '2026-11-26T17:30:02.5+01:00', kind: 'chaos-monkey', by: 'x' })}\r`,
        line('2026-11-26T16:30:03Z', 'rollback-start', ''),
      ],
      {
        events: [
          { time: '2026-11-26T16:30:02.500Z', atSeconds: 2.5, kind: 'chaos-monkey', detail: '' },
          { time: '2026-11-26T16:30:03.000Z', atSeconds: 3, kind: 'rollback-start', detail: '' },
        ],
        malformedLines: [],
      },
    ],
    [
      'a detail with control characters becomes one line',
      [line(kill.time, 'kill', 'a\nb\tc\u001b[31m red\u0007 ')],
      { events: [{ ...kill, detail: 'a b c [31m red' }], malformedLines: [] },
    ],
    [
      'lines that are not events, counted by their line number',
      [
        'not json', // 1
        line(kill.time, kill.kind, kill.detail), // 2: kept
        '', // 3: blank, not counted
        '["kill"]', // 4: not an object
        'null', // 5
        JSON.stringify({ kind: 'kill', detail: 'no time' }), // 6
        line('2026-11-26T16:30:04', 'kill', 'a time without a zone'), // 7
        line('yesterday', 'kill'), // 8
        line(kill.time, '', 'an empty kind'), // 9
        line(kill.time, 'restart nginx', 'a kind of two words'), // 10
        line(kill.time, 'k'.repeat(33), 'a kind too long'), // 11
        JSON.stringify({ time: kill.time, kind: 'kill', detail: 2 }), // 12
        JSON.stringify({ time: 1795710604210, kind: 'kill' }), // 13: a number, not a time
        '{"time":"2026-11-26T16:30:05.000Z","kind":"rec', // 14: half a line, still being written
      ],
      { events: [kill], malformedLines: [1, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14] },
    ],
    [
      // the lab's event() writes the detail unescaped: a quote in it breaks the line
      'a detail with an unescaped quote',
      ['{"time":"2026-11-26T16:30:04.210Z","kind":"kill","detail":"say "hi""}'],
      { events: [], malformedLines: [1] },
    ],
  ])('%s', (_name, lines, expected) => {
    expect(parseEvents(lines.join('\n'), WINDOW)).toEqual(expected);
  });

  it('reads a file whether or not it ends with a newline', () => {
    const text = line(kill.time, kill.kind, kill.detail);
    expect(parseEvents(`${text}\n`, WINDOW)).toEqual(parseEvents(text, WINDOW));
  });
});

describe('malformedWarning', () => {
  it.each<[number[], string | null]>([
    [[], null],
    [
      [3],
      '/reports/events.jsonl: skipped 1 malformed line (3): each line must be {"time":"<ISO 8601 time with zone>","kind":"<one word>","detail":"<text>"}',
    ],
    [
      [1, 2, 3, 4, 5, 9],
      '/reports/events.jsonl: skipped 6 malformed lines (1, 2, 3, 4, 5, ...): each line must be {"time":"<ISO 8601 time with zone>","kind":"<one word>","detail":"<text>"}',
    ],
  ])('%j -> %s', (lines, expected) => {
    expect(malformedWarning('/reports/events.jsonl', lines)).toBe(expected);
  });
});

describe('readEvents', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'loadgen-events-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('takes a missing file for no events, without a warning', async () => {
    expect(await readEvents(join(dir, 'missing.jsonl'), WINDOW)).toEqual({ events: [], warning: null });
  });

  it('reads the events and warns, in one line, about the lines it skipped', async () => {
    const path = join(dir, 'events.jsonl');
    await writeFile(path, `${line('2026-11-26T16:30:04.210Z', 'kill', 'x')}\nnot json\n`);
    const { events, warning } = await readEvents(path, WINDOW);
    expect(events).toEqual([
      { time: '2026-11-26T16:30:04.210Z', atSeconds: 4.21, kind: 'kill', detail: 'x' },
    ]);
    expect(warning).toBe(malformedWarning(path, [2]));
  });

  it('warns and goes on when the file cannot be read', async () => {
    expect(await readEvents(dir, WINDOW)).toEqual({
      events: [],
      warning: `${dir}: cannot read the events: EISDIR`,
    });
  });
});
