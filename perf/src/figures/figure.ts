// One figure from its samples, and the words several measurements' figures share. Pure, as all of
// figures/: buildReport (figures.ts) puts the sections together.
import type { Figure, Method } from '../figures.js';
import { round, summarize } from '../summary.js';
import { ITEMS, type ItemName, meets, type NamedTarget } from '../targets.js';

/** A measurement's rows of the report, and its lines in the notes below the table. */
export interface Section {
  figures: Figure[];
  notes: string[];
}

interface FigureInput {
  id: string;
  item: ItemName;
  name: string;
  unit: string;
  samples: number[];
  method: Method;
  target?: NamedTarget | undefined;
  limitedBy?: string;
  note?: string;
  decimals?: number;
}

export function figure(input: FigureInput): Figure {
  const { id, item, samples, decimals = 3, target: named, ...rest } = input;
  // The report keeps what a target says, not where the table has it.
  const target = named ? { comparison: named.comparison, value: named.value } : null;
  const summary = summarize(samples);
  return {
    id,
    item: ITEMS[item],
    ...rest,
    median: round(summary.median, decimals),
    min: round(summary.min, decimals),
    max: round(summary.max, decimals),
    samples: samples.map((x) => round(x, decimals)),
    target,
    met: meets(summary.median, target),
  };
}

/** How the notes name a measurement: by its row of the table. */
export const itemLabel = (item: ItemName) => `Item ${ITEMS[item]}`;

export const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

export const LOADGEN = 'loadgen (the lab\u2019s autocannon CLI) in a container on the lab network';
export const PROBE = 'latency probe (HTTP/1.1 keep-alive, \u00b5s clock) in a container on the lab network';
