// The live page: the last minutes of every chart on load (one range query each), then every
// second a short range query per chart, merged in.

import { TimeChart } from './chart.js';
import { currentReplicas, deriveEvents, type LabEvent } from './events.js';
import { type Line, linesOf, replicaColour, versionShares } from './lines.js';
import { parseMatrix, rangePath, type Series } from './prometheus.js';
import { type ChartName, QUERIES } from './queries.js';
import { OVERLAP, REFRESH_MS, refreshRange, STEP } from './schedule.js';
import { mergeRange } from './series.js';

const CHARTS: Record<ChartName, string> = {
  answers: '/s',
  versions: '/s',
  nodes: '/s',
  latency: ' ms',
  errors: '/s',
  lab: '',
};
const NAMES = Object.keys(CHARTS) as ChartName[];

const byId = (id: string) => document.getElementById(id) as HTMLElement;
const charts = Object.fromEntries(
  NAMES.map((name) => [name, new TimeChart(byId(`chart-${name}`), CHARTS[name])]),
) as Record<ChartName, TimeChart>;
const data = Object.fromEntries(NAMES.map((name) => [name, [] as Series[]])) as Record<ChartName, Series[]>;
let shownTo: number | undefined;

async function range(name: ChartName, start: number, end: number): Promise<Series[]> {
  const response = await fetch(rangePath(QUERIES[name], start, end, STEP), { cache: 'no-store' });
  const body = await response.json().catch(() => {
    throw new Error(`the query API answered ${response.status} without JSON`);
  });
  return parseMatrix(body);
}

const clock = (t: number) => new Date(t * 1000).toLocaleTimeString('en-GB', { hour12: false });

async function refresh(): Promise<void> {
  const to = Math.floor(Date.now() / 1000);
  const { from, freshFrom } = refreshRange(to, shownTo);
  const answers = await Promise.all(NAMES.map((name) => range(name, freshFrom, to)));
  NAMES.forEach((name, i) => {
    data[name] = mergeRange(data[name], answers[i] ?? [], freshFrom, from);
  });
  shownTo = to;
  const events = deriveEvents(data.lab, from, to, STEP);
  const lines = Object.fromEntries(NAMES.map((name) => [name, linesOf(name, data[name])])) as Record<
    ChartName,
    Line[]
  >;
  // A Prometheus younger than the window has less to show: the charts start where its data does.
  const drawnFrom = Math.min(to - 60, Math.max(from, earliest(NAMES.flatMap((name) => data[name]))));
  for (const name of NAMES) charts[name].update(lines[name], drawnFrom, to, STEP, events);
  showReplicas(data.lab, lines.answers, to);
  showVersions(lines.versions, to);
  // On one machine no replica names a node: the chart by node stays out of the way.
  byId('nodes').hidden = lines.nodes.length === 0;
  showEvents(events);
  byId('status').textContent = `updated ${clock(to)}`;
  byId('status').dataset.state = 'ok';
}

function earliest(series: Series[]): number {
  return Math.min(...series.map((entry) => entry.points[0]?.[0] ?? Number.POSITIVE_INFINITY));
}

function showReplicas(lab: Series[], answers: Line[], to: number): void {
  const items = currentReplicas(lab, to, STEP).map(({ hostname, version, sick }) => {
    const item = document.createElement('li');
    item.dataset.hostname = hostname;
    item.dataset.version = version;
    item.style.background = replicaColour(hostname);
    const rate = answers.find((line) => line.key === hostname)?.points.at(-1)?.[1];
    const facts = [
      `v${version}`,
      rate === undefined ? '' : `${rate.toFixed(1)}/s`,
      sick ? `sick: ${sick}` : '',
    ];
    const name = document.createElement('strong');
    name.textContent = hostname;
    item.append(name, ` ${facts.filter(Boolean).join(' · ')}`);
    return item;
  });
  byId('replicas').replaceChildren(...items);
  byId('replica-count').textContent = String(items.length);
}

/** Each version's share of the answers in the latest second with any. */
function showVersions(versions: Line[], to: number): void {
  const shares = versionShares(versions, to - OVERLAP);
  const items = shares.map(({ label, colour, share }) => {
    const item = document.createElement('li');
    item.dataset.version = label.replace(/^v/, '');
    item.dataset.share = share.toFixed(3);
    item.style.setProperty('--version', colour);
    item.textContent = `${label} ${Math.round(share * 100)} %`;
    return item;
  });
  byId('versions').replaceChildren(...items);
  byId('versions-none').hidden = items.length > 0;
}

function showEvents(events: LabEvent[]): void {
  const items = events
    .slice(-40)
    .reverse()
    .map((event) => {
      const item = document.createElement('li');
      item.dataset.kind = event.kind;
      item.dataset.t = String(event.t);
      if (event.hostname) {
        item.dataset.hostname = event.hostname;
        item.style.setProperty('--replica', replicaColour(event.hostname));
      }
      const time = document.createElement('time');
      time.textContent = clock(event.t);
      item.append(time, ` ${event.text}`);
      return item;
    });
  byId('events').replaceChildren(...items);
}

async function loop(): Promise<void> {
  try {
    await refresh();
  } catch (error) {
    byId('status').textContent = `not updating: ${(error as Error).message}`;
    byId('status').dataset.state = 'error';
  }
  setTimeout(loop, REFRESH_MS);
}

void loop();
