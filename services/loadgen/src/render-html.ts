import type { RunEvent } from './events.js';
import {
  atSecondsText,
  failedShare,
  failures,
  ms,
  percent,
  plural,
  ratio,
  rps,
  SERVICE_TIME_KIND,
  serviceTimeText,
  versionLabel,
} from './format.js';
import { eventsFile, flagOf, type Options } from './options.js';
import { describeRun } from './render-text.js';
import type { BenchResult } from './result.js';
import { NO_HEADER, replicasSeen } from './tally.js';
import type { TimelineSecond } from './timeline.js';

/*
 * The HTML report: one self-contained file that opens from disk with no network. Styles are
 * inline, charts are inline SVG drawn here, there is no script, and a Content-Security-Policy
 * forbids loading anything else. Charts draw bars and lines only; their text is HTML, so it
 * keeps its size from a 390 px phone to a 1280 px screen.
 */

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  // Encoded so that the file holds no "http://" a scanner could take for a link to fetch.
  ':': '&#58;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"':]/g, (char) => ESCAPES[char] ?? char);
}

/** A hue from 0 to 359 for a hostname (FNV-1a): the same as hello's page, so a replica keeps its colour. */
export function hostnameHue(hostname: string): number {
  let hash = 0x811c9dc5;
  for (const char of hostname) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % 360;
}

const VERSION_COLOURS = ['#2563eb', '#d97706', '#059669', '#9333ea', '#db2777', '#0891b2'];
const NO_HEADER_COLOUR = '#6b7280';
const ERROR_COLOUR = '#dc2626';
const NON2XX_COLOUR = '#ea580c';

/**
 * Colours for the kinds of event the lab's scripts write, by what they do to the service: a
 * fault, a recovery, a rollout or a rollback. Any other kind is kept and drawn in grey.
 */
const EVENT_KIND_COLOURS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^(kill|stop|pause|restart|crash|fault|disconnect)/, '#e11d48'],
  [/^(start|unpause|resume|recover|ready|healthy|connect)/, '#16a34a'],
  [/^rollout/, '#7c3aed'],
  [/^rollback/, '#0e7490'],
];

export function eventColour(kind: string): string {
  return EVENT_KIND_COLOURS.find(([pattern]) => pattern.test(kind))?.[1] ?? NO_HEADER_COLOUR;
}

function hostnameColour(name: string): string {
  return name === NO_HEADER ? NO_HEADER_COLOUR : `hsl(${hostnameHue(name)} 62% 42%)`;
}

/** Colours by version, in the order of the version names, so v1 keeps its colour between runs. */
function versionColours(versions: Record<string, number>): Map<string, string> {
  const names = Object.keys(versions)
    .filter((name) => name !== NO_HEADER)
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const colours = new Map(
    names.map((name, i) => [name, VERSION_COLOURS[i % VERSION_COLOURS.length] as string]),
  );
  colours.set(NO_HEADER, NO_HEADER_COLOUR);
  return colours;
}

/** A number for SVG coordinates: at most three decimals, no trailing zeros. */
export const svgNumber = (value: number) => Number(value.toFixed(3)).toString();

/** A horizontal bar as wide as `share` (0 to 1) of its track. */
export function barSvg(share: number, colour: string): string {
  const width = svgNumber(Math.max(0, Math.min(1, share)) * 100);
  return `<svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true"><rect class="track" width="100" height="10" rx="2"/><rect width="${width}" height="10" rx="2" style="fill:${colour}"/></svg>`;
}

interface Row {
  label: string;
  value: string;
  share: number;
  colour: string;
}

function barRows(rows: readonly Row[], className: string): string {
  const items = rows.map(
    (row) =>
      `<li><span class="name">${escapeHtml(row.label)}</span><span class="value">${escapeHtml(row.value)}</span>${barSvg(row.share, row.colour)}</li>`,
  );
  return `<ul class="bars ${className}">${items.join('')}</ul>`;
}

const PERCENTILES = [
  ['p50', 'p50'],
  ['p75', 'p75'],
  ['p90', 'p90'],
  ['p97.5', 'p97_5'],
  ['p99', 'p99'],
  ['p99.9', 'p99_9'],
  ['max', 'max'],
] as const;

function latencyChart(latency: BenchResult['latencyMs']): string {
  const top = Math.max(latency.max, 1);
  return barRows(
    PERCENTILES.map(([label, key]) => ({
      label,
      value: ms(latency[key]),
      share: latency[key] / top,
      colour: 'var(--accent)',
    })),
    'latency',
  );
}

function countChart(
  counts: Record<string, number>,
  total: number,
  label: (name: string) => string,
  colour: (name: string) => string,
): string {
  return barRows(
    Object.entries(counts).map(([name, count]) => ({
      label: label(name),
      value: `${count} · ${percent(count, total)}`,
      share: total > 0 ? count / total : 0,
      colour: colour(name),
    })),
    'counts',
  );
}

/** Gridlines at quarters of the height, drawn thin whatever the scaling. */
export const GRID = [25, 50, 75]
  .map(
    (y) => `<line class="gridline" x1="0" x2="100%" y1="${y}" y2="${y}" vector-effect="non-scaling-stroke"/>`,
  )
  .join('');

/**
 * Requests per second as columns: the answers stacked by version, the requests that got no answer
 * on top in red. The SVG stretches to its box (one unit per second across, 100 units up); labels
 * are HTML around it.
 */
export function throughputSvg(
  timeline: readonly TimelineSecond[],
  seconds: number,
  colours: Map<string, string>,
): string {
  const peak = Math.max(1, ...timeline.map((second) => second.requests));
  const rects: string[] = [];
  for (const second of timeline) {
    let y = 100;
    const stack: Array<[number, string]> = [...colours].map(([version, colour]) => [
      second.versions[version] ?? 0,
      colour,
    ]);
    stack.push([second.errors, ERROR_COLOUR]);
    for (const [count, colour] of stack) {
      if (count === 0) continue;
      const height = (count / peak) * 100;
      y -= height;
      rects.push(
        `<rect x="${svgNumber(second.second + 0.12)}" y="${svgNumber(y)}" width="0.76" height="${svgNumber(height)}" style="fill:${colour}"/>`,
      );
    }
  }
  return `<svg class="plot" viewBox="0 0 ${svgNumber(seconds)} 100" preserveAspectRatio="none" role="img" aria-label="Requests per second, peak ${peak}">${GRID}${rects.join('')}</svg>`;
}

/** The p99 of each second as a line; seconds without answers leave a gap. */
export function p99Svg(timeline: readonly TimelineSecond[], seconds: number): string {
  const peak = Math.max(1, ...timeline.map((second) => second.p99Ms ?? 0));
  let path = '';
  let drawing = false;
  for (const second of timeline) {
    if (second.p99Ms === null || second.second + 0.5 > seconds) {
      drawing = false;
      continue;
    }
    const point = `${svgNumber(second.second + 0.5)} ${svgNumber(100 - (second.p99Ms / peak) * 96)}`;
    path += `${drawing ? 'L' : 'M'}${point} `;
    drawing = true;
  }
  const line = path
    ? `<path d="${path.trim()}" class="line" stroke-linejoin="round" vector-effect="non-scaling-stroke"/>`
    : '';
  return `<svg class="plot" viewBox="0 0 ${svgNumber(seconds)} 100" preserveAspectRatio="none" role="img" aria-label="p99 latency per second, peak ${peak} ms">${GRID}${line}</svg>`;
}

/**
 * Each second's answers as shares by version, stacked to the full height: a rollout shows as one
 * colour giving way to the next. One group per version, in the order of `versions`.
 */
export function versionsSvg(
  timeline: readonly TimelineSecond[],
  seconds: number,
  versions: readonly string[],
  colours: Map<string, string>,
): string {
  const rects = new Map(versions.map((version) => [version, [] as string[]]));
  for (const second of timeline) {
    const answers = versions.reduce((sum, version) => sum + (second.versions[version] ?? 0), 0);
    let y = 100;
    for (const version of versions) {
      const count = second.versions[version] ?? 0;
      if (count === 0 || answers === 0) continue;
      const height = (count / answers) * 100;
      y -= height;
      rects
        .get(version)
        ?.push(
          `<rect x="${svgNumber(second.second)}" y="${svgNumber(y)}" width="1" height="${svgNumber(height)}"/>`,
        );
    }
  }
  const series = versions.map(
    (version) =>
      `<g class="series" style="fill:${colours.get(version) ?? NO_HEADER_COLOUR}"><title>${escapeHtml(versionLabel(version))}</title>${(rects.get(version) ?? []).join('')}</g>`,
  );
  return `<svg class="plot" viewBox="0 0 ${svgNumber(seconds)} 100" preserveAspectRatio="none" role="img" aria-label="Share of the answers by version, per second">${GRID}${series.join('')}</svg>`;
}

/**
 * The failed requests of each second, scaled to the worst second rather than to the throughput,
 * so that a handful of them still shows: answers outside 2xx, and requests without an answer on top.
 */
export function failedSvg(timeline: readonly TimelineSecond[], seconds: number): string {
  const peak = Math.max(1, ...timeline.map((second) => second.non2xx + second.errors));
  const rects: string[] = [];
  for (const second of timeline) {
    let y = 100;
    for (const [count, colour] of [
      [second.non2xx, NON2XX_COLOUR],
      [second.errors, ERROR_COLOUR],
    ] as const) {
      if (count === 0) continue;
      const height = (count / peak) * 100;
      y -= height;
      rects.push(
        `<rect x="${svgNumber(second.second + 0.12)}" y="${svgNumber(y)}" width="0.76" height="${svgNumber(height)}" style="fill:${colour}"/>`,
      );
    }
  }
  return `<svg class="plot" viewBox="0 0 ${svgNumber(seconds)} 100" preserveAspectRatio="none" role="img" aria-label="Failed requests per second, peak ${peak}">${GRID}${rects.join('')}</svg>`;
}

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

/** A chart over the measured window, with the run's events marked on it. */
function plot(svg: string, top: string, seconds: number, events: readonly RunEvent[]): string {
  const marks = eventMarks(events, seconds);
  return `<figure class="chart"><div class="axis-top">${escapeHtml(top)}</div>${marks.flags}<div class="plot-box">${svg}${marks.lines}</div><figcaption><span>0 s</span><span>time since the start of the measurement</span><span>${seconds.toFixed(1)} s</span></figcaption></figure>`;
}

/** The key to the flags: each event with its number, time, kind and detail. */
export function eventList(events: readonly RunEvent[]): string {
  const items = events.map(
    (event, i) =>
      `<li><span class="flag" style="background:${eventColour(event.kind)}">${i + 1}</span><span class="at">${escapeHtml(atSecondsText(event.atSeconds))}</span><span class="kind">${escapeHtml(event.kind)}</span><span class="detail">${escapeHtml(event.detail)}</span><time>${escapeHtml(event.time)}</time></li>`,
  );
  return `<ol class="events">${items.join('')}</ol>`;
}

/** A chart's key: a swatch of each colour and what it stands for. */
export function legendList(entries: ReadonlyArray<readonly [label: string, colour: string]>): string {
  const items = entries.map(
    ([label, colour]) => `<li><i style="background:${colour}"></i>${escapeHtml(label)}</li>`,
  );
  return `<ul class="legend">${items.join('')}</ul>`;
}

/** The versions the run saw, in the order of their colours. */
function versionsSeen(colours: Map<string, string>, versions: Record<string, number>): string[] {
  return [...colours.keys()].filter((version) => versions[version] !== undefined);
}

function versionLegend(colours: Map<string, string>, versions: readonly string[]) {
  return versions.map(
    (version) => [versionLabel(version), colours.get(version) ?? NO_HEADER_COLOUR] as const,
  );
}

export function definitionList(entries: ReadonlyArray<readonly [string, string]>): string {
  return `<dl>${entries.map(([term, value]) => `<dt>${escapeHtml(term)}</dt><dd>${escapeHtml(value)}</dd>`).join('')}</dl>`;
}

/** Each option as its flag and value, such as ["--rate", "none"]; also for a subset of the options. */
export function optionEntries(options: Partial<Options>): Array<[string, string]> {
  return (Object.keys(options) as Array<keyof Options>).map((key) => {
    const value = options[key];
    return [flagOf(key), value === null ? 'none' : String(value)];
  });
}

function modelEntries(result: BenchResult): Array<[string, string]> {
  const { model } = result;
  const entries: Array<[string, string]> = [
    ['service time S', serviceTimeText(result)],
    ['replicas R', String(model.replicas)],
    [
      'cores left C_eff',
      `${model.cores} - ${result.loadgenCores.toFixed(2)} load generator - ${result.options.proxyCores} proxy = ${model.effectiveCores.toFixed(2)}`,
    ],
  ];
  if (model.capacityRps !== null) {
    entries.push([
      'capacity min(R, C_eff) / S',
      `${rps(model.capacityRps)}, measured ${rps(result.throughputRps)} (${ratio(model.throughputRatio)})`,
    ]);
  }
  if (model.predictedLatencyMs !== null) {
    const how = model.predictedFrom === 'service time' ? 'S, below capacity' : "Little's law";
    entries.push([
      `latency, ${how}`,
      `${ms(model.predictedLatencyMs)}, measured mean ${ms(result.latencyMs.mean)}${model.latencyRatio === null ? '' : ` (${ratio(model.latencyRatio)})`}`,
    ]);
  }
  return entries;
}

export function kpi(label: string, value: string, note = ''): string {
  return `<div class="kpi"><span>${escapeHtml(label)}</span><strong>${escapeHtml(value)}</strong>${note ? `<small>${escapeHtml(note)}</small>` : ''}</div>`;
}

const STYLE = `
*{box-sizing:border-box}
:root{--bg:#f4f5f7;--card:#fff;--text:#111827;--muted:#6b7280;--line:#e5e7eb;--track:#eef0f3;--accent:#2563eb;
  color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--bg:#0f1115;--card:#181b21;--text:#e5e7eb;--muted:#9ca3af;
  --line:#2a2f38;--track:#252a33;--accent:#60a5fa}}
body{margin:0;background:var(--bg);color:var(--text);
  font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:1180px;margin:0 auto;padding:clamp(14px,3vw,32px)}
header{margin-bottom:18px}
.eyebrow{margin:0;color:var(--muted);text-transform:uppercase;letter-spacing:.1em;font-size:.75rem}
h1{margin:.15em 0;font-size:clamp(1.5rem,4.5vw,2.3rem);line-height:1.15;overflow-wrap:anywhere}
.run{margin:0;color:var(--muted);overflow-wrap:anywhere}
code,.name,dd{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;font-size:.9em}
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:10px;margin:0 0 14px}
.kpi{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:10px 14px}
.kpi span{display:block;color:var(--muted);font-size:.8rem}
.kpi strong{display:block;font-size:clamp(1.15rem,4.4vw,1.45rem);line-height:1.3;font-variant-numeric:tabular-nums}
.kpi small{color:var(--muted)}
.limit{background:var(--card);border:1px solid var(--line);border-left:5px solid var(--accent);border-radius:12px;
  padding:12px 16px;margin:0 0 14px}
.limit p{margin:0}.limit p+p{margin-top:6px;color:var(--muted);font-size:.9rem}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,460px),1fr));gap:14px}
section.card{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:14px 16px;min-width:0}
section.wide{grid-column:1/-1}
h2{font-size:1rem;margin:0 0 10px}
h3{font-size:.85rem;margin:14px 0 6px;color:var(--muted);font-weight:600}
.bars{list-style:none;margin:0;padding:0}
.bars li{display:grid;grid-template-columns:minmax(0,1fr) auto;gap:2px 10px;padding:4px 0}
.bars .name{overflow-wrap:anywhere}
.bars .value{font-variant-numeric:tabular-nums;color:var(--muted);white-space:nowrap}
.bars svg.bar{grid-column:1/-1;width:100%;height:10px;display:block}
.bars.latency li{grid-template-columns:3.6rem minmax(0,1fr) 4.6rem;align-items:center}
.bars.latency svg.bar{grid-column:2;grid-row:1}
.bars.latency .value{grid-column:3;grid-row:1;text-align:right}
.track{fill:var(--track)}
.chart{margin:0}
.chart .axis-top{color:var(--muted);font-size:.8rem}
svg.plot{display:block;width:100%;height:180px;border-bottom:1px solid var(--muted);border-left:1px solid var(--line)}
.gridline{stroke:var(--line);stroke-width:1;stroke-dasharray:3 3}
.line{fill:none;stroke:var(--accent);stroke-width:2}
figcaption{display:flex;justify-content:space-between;gap:8px;color:var(--muted);font-size:.78rem;margin-top:2px}
.plot-box{position:relative}
svg.event-lines{position:absolute;inset:0;width:100%;height:100%;pointer-events:none;overflow:visible}
.event-line{stroke-width:2;stroke-dasharray:4 3}
.event-flags{list-style:none;position:relative;margin:2px 0 0;padding:0}
.event-flags li,.events .flag{color:#fff;font-size:.72rem;font-weight:700;line-height:18px;min-width:18px;height:18px;
  padding:0 4px;border-radius:9px;text-align:center;font-variant-numeric:tabular-nums}
.event-flags li{position:absolute;transform:translateX(-50%)}
.events{list-style:none;margin:0;padding:0}
.events li{display:grid;grid-template-columns:auto 4.5rem minmax(0,9rem) minmax(0,1fr);gap:2px 10px;
  align-items:baseline;padding:5px 0;border-top:1px solid var(--line)}
.events li:first-child{border-top:0}
.events .at{font-variant-numeric:tabular-nums;text-align:right}
.events .kind{font-weight:600;overflow-wrap:anywhere}
.events .detail{overflow-wrap:anywhere}
.events time{grid-column:2/-1;color:var(--muted);font-size:.78rem}
@media (max-width:520px){.events li{grid-template-columns:auto 4rem minmax(0,1fr)}.events .detail{grid-column:2/-1}}
.legend{list-style:none;display:flex;flex-wrap:wrap;gap:4px 14px;margin:8px 0 0;padding:0;font-size:.85rem}
.legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px}
dl{display:grid;grid-template-columns:minmax(0,max-content) minmax(0,1fr);gap:4px 14px;margin:0}
dt{color:var(--muted)}dd{margin:0;overflow-wrap:anywhere}
@media (max-width:520px){dl{grid-template-columns:minmax(0,1fr)}dd{margin-bottom:6px}}
footer{color:var(--muted);font-size:.8rem;margin-top:18px}
`;

// No script, no request of any kind: the report cannot leak or break when opened offline.
const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; form-action 'none'";

/**
 * A whole page around the contents of its <main>: the head with the policy, the shared style and
 * any style of the page's own (`extraStyle`), then the body. The title is text; it is escaped here.
 */
export function htmlPage(title: string, main: string, extraStyle = ''): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<title>${escapeHtml(title)}</title>
<style>${STYLE}${extraStyle}</style>
</head>
<body>
<main>
${main}
</main>
</body>
</html>
`;
}

/** The events, numbered as the flags on the charts; nothing for a run without events. */
function eventsCard(events: readonly RunEvent[]): string {
  if (events.length === 0) return '';
  return `<section class="card wide">\n<h2>Events</h2>\n${eventList(events)}\n</section>\n`;
}

/** The HTML report. Pure: the caller writes it to bench-latest.html. */
export function renderHtml(result: BenchResult): string {
  const { options, requests, latencyMs, model, timeline, events } = result;
  const total = requests.total;
  const colours = versionColours(result.versions);
  const versions = versionsSeen(colours, result.versions);
  const title = options.label ?? `Load test of ${new URL(options.url).host}`;
  const { failed, requests: allRequests } = failures(requests);
  const serviceTime =
    model.serviceTimeFrom === null
      ? 'no service time'
      : `service time ${ms(model.serviceTimeMs)} ${SERVICE_TIME_KIND[model.serviceTimeFrom]}`;
  const peakRps = Math.max(0, ...timeline.map((second) => second.requests));
  const peakFailed = Math.max(0, ...timeline.map((second) => second.non2xx + second.errors));
  const peakP99 = Math.max(0, ...timeline.map((second) => second.p99Ms ?? 0));
  // The charts span the measured window; a last second that is cut short shows as cut short. An
  // event after the last answer (autocannon notices the end of --amount up to a second late)
  // widens them, so that it is drawn where it happened.
  const seconds = Math.max(result.durationSeconds, 1, ...events.map((event) => event.atSeconds));
  const failedNote = `of ${allRequests} requests${failed > 0 ? ` (${failedShare(failed, allRequests)})` : ''}: ${requests.non2xx} non-2xx, ${plural(requests.errors, 'error')}, ${plural(requests.timeouts, 'timeout')}`;

  return htmlPage(
    `${title}: ${rps(result.throughputRps)}, p99 ${ms(latencyMs.p99)}`,
    `<header>
<p class="eyebrow">hello-lab load test · ${escapeHtml(result.startedAt)}</p>
<h1>${escapeHtml(title)}</h1>
<p class="run"><code>${escapeHtml(options.url)}</code> · ${escapeHtml(describeRun(result))}</p>
</header>
<div class="kpis">
${kpi('Throughput', rps(result.throughputRps), model.capacityRps === null ? '' : `capacity ${rps(model.capacityRps)}`)}
${kpi('Latency p50', ms(latencyMs.p50), `mean ${ms(latencyMs.mean)}`)}
${kpi('Latency p99', ms(latencyMs.p99), `max ${ms(latencyMs.max)}`)}
${kpi('Answers', String(total), `${requests.ok} ok`)}
${kpi('Failed', String(failed), failedNote)}
${kpi('Replicas seen', String(replicasSeen(result.hostnames)), serviceTime)}
</div>
<div class="limit"><p><strong>What limits this run.</strong> ${escapeHtml(model.explanation)}</p>${model.caveat ? `<p>${escapeHtml(model.caveat)}</p>` : ''}</div>
<div class="grid">
<section class="card wide">
<h2>Model</h2>
${definitionList(modelEntries(result))}
</section>
<section class="card wide">
<h2>Throughput over time</h2>
${plot(throughputSvg(timeline, seconds, colours), `requests per second, peak ${peakRps}`, seconds, events)}
${legendList([...versionLegend(colours, versions), ['no answer (error)', ERROR_COLOUR]])}
</section>
${eventsCard(events)}<section class="card wide">
<h2>Versions over time</h2>
${plot(versionsSvg(timeline, seconds, versions, colours), 'share of the answers of each second, by version', seconds, events)}
${legendList(versionLegend(colours, versions))}
</section>
<section class="card wide">
<h2>Failed requests per second</h2>
${plot(failedSvg(timeline, seconds), failed === 0 ? 'no request failed' : `failed requests per second, peak ${peakFailed}`, seconds, events)}
${legendList([
  ['non-2xx answer', NON2XX_COLOUR],
  ['no answer (error)', ERROR_COLOUR],
])}
</section>
<section class="card wide">
<h2>p99 latency per second</h2>
${plot(p99Svg(timeline, seconds), `peak ${ms(peakP99)}`, seconds, events)}
</section>
<section class="card">
<h2>Answers per hostname</h2>
${countChart(result.hostnames, total, (name) => name, hostnameColour)}
<h3>Versions</h3>
${countChart(result.versions, total, versionLabel, (name) => colours.get(name) ?? NO_HEADER_COLOUR)}
</section>
<section class="card">
<h2>Latency percentiles</h2>
${latencyChart(latencyMs)}
</section>
<section class="card wide">
<h2>Options</h2>
${definitionList(optionEntries({ ...options, events: eventsFile(options) }))}
</section>
</div>
<footer>Every number on this page is in bench-latest.json beside it. Started ${escapeHtml(result.startedAt)}, finished ${escapeHtml(result.finishedAt)}.</footer>`,
  );
}
