import { describe, expect, it } from 'vitest';
import { eventMarks, flagLanes } from '../../src/report/events.js';

describe('eventMarks', () => {
  it('has no marks without events, and clamps an event to the chart', () => {
    expect(eventMarks([], 10)).toEqual({ flags: '', lines: '' });
    const event = { time: '', atSeconds: 11, kind: 'kill', detail: '' };
    expect(eventMarks([event], 10).lines).toContain('x1="10" x2="10"');
  });
});

describe('flagLanes', () => {
  it.each<[number[], number[]]>([
    [[], []],
    [
      [0.1, 0.5, 0.9],
      [0, 0, 0],
    ],
    // close together: the next row, then the first again once there is room
    [
      [0.1, 0.12, 0.14, 0.3],
      [0, 1, 2, 0],
    ],
    // more close flags than rows: the row whose last flag is furthest left
    [
      [0.1, 0.11, 0.12, 0.13, 0.14],
      [0, 1, 2, 0, 1],
    ],
    [
      [0.5, 0.56],
      [0, 0],
    ],
  ])('%j -> %j', (positions, lanes) => {
    expect(flagLanes(positions)).toEqual(lanes);
  });
});
