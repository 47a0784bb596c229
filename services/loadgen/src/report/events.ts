import { escapeHtml } from '@hello-lab/shared/html';
import type { RunEvent } from '../events.js';
import { atSecondsText } from '../format.js';
import { svgNumber } from './charts.js';
import { eventColour } from './colours.js';

/** A flag's width as a share of the chart, at about the narrowest a chart gets (a 390 px phone). */
const FLAG_GAP = 0.06;
const FLAG_LANES = 3;
const FLAG_HEIGHT_PX = 20;

/**
 * The row of the strip above a chart that each flag goes in, for positions from 0 to 1 in time
 * order: the first row whose last flag is far enough to the left, so that flags of events close
 * in time do not cover each other; when every row is taken, the one with the flag furthest left.
 */
export function flagLanes(positions: readonly number[], gap = FLAG_GAP, lanes = FLAG_LANES): number[] {
  const lastInLane: number[] = [];
  return positions.map((position) => {
    let lane = lastInLane.findIndex((last) => position - last >= gap);
    if (lane === -1) {
      lane = lastInLane.length < lanes ? lastInLane.length : lastInLane.indexOf(Math.min(...lastInLane));
    }
    lastInLane[lane] = position;
    return lane;
  });
}

/** What an event says, in one line: for a flag's tooltip. */
const eventTitle = (event: RunEvent) =>
  `${atSecondsText(event.atSeconds)} ${event.kind}${event.detail ? ` ${event.detail}` : ''}`;

/**
 * The events on a chart: a numbered flag each in a strip above it (HTML, so that the numbers keep
 * their size), and a vertical line each over it, at the event's time. Empty without events.
 */
export function eventMarks(events: readonly RunEvent[], seconds: number) {
  if (events.length === 0) return { flags: '', lines: '' };
  const at = events.map((event) => Math.max(0, Math.min(seconds, event.atSeconds)));
  const lanes = flagLanes(at.map((x) => x / seconds));
  const flags = events.map(
    (event, i) =>
      `<li style="left:${svgNumber(((at[i] ?? 0) / seconds) * 100)}%;top:${(lanes[i] ?? 0) * FLAG_HEIGHT_PX}px;background:${eventColour(event.kind)}" title="${escapeHtml(eventTitle(event))}">${i + 1}</li>`,
  );
  const height = (Math.max(...lanes) + 1) * FLAG_HEIGHT_PX;
  const lines = events.map(
    (event, i) =>
      `<line class="event-line" x1="${svgNumber(at[i] ?? 0)}" x2="${svgNumber(at[i] ?? 0)}" y1="0" y2="100" vector-effect="non-scaling-stroke" style="stroke:${eventColour(event.kind)}"/>`,
  );
  return {
    flags: `<ol class="event-flags" style="height:${height}px" aria-hidden="true">${flags.join('')}</ol>`,
    lines: `<svg class="event-lines" viewBox="0 0 ${svgNumber(seconds)} 100" preserveAspectRatio="none" aria-hidden="true">${lines.join('')}</svg>`,
  };
}

/** The key to the flags: each event with its number, time, kind and detail. */
export function eventList(events: readonly RunEvent[]): string {
  const items = events.map(
    (event, i) =>
      `<li><span class="flag" style="background:${eventColour(event.kind)}">${i + 1}</span><span class="at">${escapeHtml(atSecondsText(event.atSeconds))}</span><span class="kind">${escapeHtml(event.kind)}</span><span class="detail">${escapeHtml(event.detail)}</span><time>${escapeHtml(event.time)}</time></li>`,
  );
  return `<ol class="events">${items.join('')}</ol>`;
}
