// One uPlot time chart of the page: its lines, rebuilt when the set of lines changes, and the
// lab's events as marks on its time axis (elements over the plot, so a test can find them).
import uPlot from 'uplot';
import type { LabEvent } from './events.js';
import type { Line } from './lines.js';
import { align } from './series.js';

const TALL = 220;
const SHORT = 170;
const NARROW = 600;

/** Times on the axis as a 24-hour clock, to the second only when the ticks are that close. */
function clockOf(ticks: number[]): (t: number) => string {
  const seconds = ticks.some((t) => t % 60 !== 0);
  const format: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit' };
  if (seconds) format.second = '2-digit';
  return (t) => new Date(t * 1000).toLocaleTimeString('en-GB', format);
}

export class TimeChart {
  #plot: uPlot | undefined;
  #keys = '';
  #window: [number, number] = [0, 1];
  #events: LabEvent[] = [];
  readonly #box: HTMLElement;
  readonly #unit: string;

  constructor(box: HTMLElement, unit: string) {
    this.#box = box;
    this.#unit = unit;
    new ResizeObserver(() => this.#plot?.setSize(this.#size())).observe(box);
  }

  #size(): { width: number; height: number } {
    const width = Math.max(200, this.#box.clientWidth);
    return { width, height: width < NARROW ? SHORT : TALL };
  }

  /** Draws `lines` over the window from..to (unix seconds), with `events` marked. */
  update(lines: Line[], from: number, to: number, step: number, events: LabEvent[]): void {
    this.#window = [from, to];
    this.#events = events;
    const { x, ys } = align(lines, from, to, step);
    const data: uPlot.AlignedData = [x, ...ys];
    const keys = lines.map((line) => `${line.key}\u0000${line.label}\u0000${line.colour}`).join('\u0001');
    if (this.#plot && keys === this.#keys) {
      this.#plot.setData(data);
      return;
    }
    this.#plot?.destroy();
    this.#keys = keys;
    this.#plot = new uPlot(this.#options(lines), data, this.#box);
  }

  #options(lines: Line[]): uPlot.Options {
    const unit = this.#unit;
    return {
      ...this.#size(),
      cursor: { drag: { x: false, y: false } },
      legend: { live: false },
      scales: {
        x: { time: true, range: () => this.#window },
        // From zero: a rate or a latency read against its baseline.
        y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] },
      },
      axes: [
        { values: (_u, ticks) => ticks.map(clockOf(ticks)) },
        { values: (_u, ticks) => ticks.map((v) => `${+v.toPrecision(3)}${unit}`), size: 60 },
      ],
      series: [
        {},
        ...lines.map(
          (line): uPlot.Series => ({
            label: line.label,
            stroke: line.colour,
            width: 2,
            points: { show: false },
            spanGaps: false,
          }),
        ),
      ],
      hooks: { draw: [(plot) => this.#mark(plot)] },
    };
  }

  /** The events as marks over the plot, where their times fall on the axis. */
  #mark(plot: uPlot): void {
    const marks = this.#events
      .filter((event) => event.t >= this.#window[0] && event.t <= this.#window[1])
      .map((event) => {
        const mark = document.createElement('div');
        mark.className = 'mark';
        mark.dataset.kind = event.kind;
        mark.dataset.t = String(event.t);
        if (event.hostname) mark.dataset.hostname = event.hostname;
        mark.title = event.text;
        mark.style.left = `${plot.valToPos(event.t, 'x')}px`;
        return mark;
      });
    for (const old of plot.over.querySelectorAll('.mark')) old.remove();
    plot.over.append(...marks);
  }
}
