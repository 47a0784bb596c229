import { escapeHtml } from '@hello-lab/shared/html';
import type { RunEvent } from '../events.js';
import {
  failedShare,
  failures,
  ms,
  plural,
  ratio,
  rps,
  SERVICE_TIME_KIND,
  serviceTimeText,
  versionLabel,
} from '../format.js';
import type { OpenLoopFigures } from '../measurement.js';
import { eventsFile } from '../options.js';
import { describeRun, otherWork, replicaColumns } from '../render-text.js';
import type { BenchResult } from '../result.js';
import { NO_HEADER, nodesSeen, replicasSeen } from '../tally.js';
import {
  barRows,
  countChart,
  failedChart,
  nodesChart,
  p99Chart,
  throughputChart,
  versionsChart,
} from './charts.js';
import { ERROR_COLOUR, hostnameColour, NO_HEADER_COLOUR, NON2XX_COLOUR, versionColours } from './colours.js';
import { eventList, eventMarks } from './events.js';
import { htmlPage } from './page.js';
import { type Cell, definitionList, figureTable, kpi, legendList, optionEntries } from './parts.js';

// The report of one bench run, bench-latest.html: its figures, charts over time and options.

const PERCENTILES = [
  ['p50', 'p50'],
  ['p75', 'p75'],
  ['p90', 'p90'],
  ['p97.5', 'p97_5'],
  ['p99', 'p99'],
  ['p99.9', 'p99_9'],
  ['max', 'max'],
] as const;

function latencyChart(
  latency: Omit<BenchResult['latencyMs'], 'mean'>,
  top = Math.max(latency.max, 1),
): string {
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

/**
 * An open loop's two latencies on one scale: from each request's intended start (what a client
 * on that schedule waits) and from its actual send, which hides a wait the client could not send
 * through.
 */
function openLoopLatency(latency: BenchResult['latencyMs'], openLoop: OpenLoopFigures): string {
  const top = Math.max(latency.max, openLoop.sentLatencyMs.max, 1);
  const late =
    openLoop.late === 0 ? 'none late' : `${openLoop.late} sent late, at most ${ms(openLoop.maxLagMs)}`;
  return `<h3>From the intended start</h3>
${latencyChart(latency, top)}
<h3>From the actual send</h3>
${latencyChart(openLoop.sentLatencyMs, top)}
<p>${escapeHtml(`${openLoop.arrivals} arrivals: ${plural(openLoop.scheduled, 'request')} due, ${late}`)}</p>`;
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

function modelEntries(result: BenchResult): Array<[string, string]> {
  const { model } = result;
  const entries: Array<[string, string]> = [
    ['service time S', serviceTimeText(result)],
    ['replicas R', String(model.replicas)],
    [
      'cores left C_eff',
      `${model.cores} - ${result.loadgenCores.toFixed(2)} load generator - ${result.options.proxyCores} proxy${otherWork(model)} = ${model.effectiveCores.toFixed(2)}`,
    ],
  ];
  if (model.capacityRps !== null) {
    entries.push([
      'capacity min(R, C_eff) / S',
      `${rps(model.capacityRps)}, measured ${rps(result.throughputRps)} (${ratio(model.throughputRatio)})`,
    ]);
  }
  if (model.predictedLatencyMs !== null) {
    const how =
      model.predictedFrom === 'service time'
        ? 'S, below capacity'
        : model.predictedFrom === 'M/D/c queue'
          ? 'S + M/D/c wait'
          : "Little's law";
    entries.push([
      `latency, ${how}`,
      `${ms(model.predictedLatencyMs)}, measured mean ${ms(result.latencyMs.mean)}${model.latencyRatio === null ? '' : ` (${ratio(model.latencyRatio)})`}`,
    ]);
  }
  return entries;
}

/**
 * Each replica's answers, latency and failures, the sick one in bold: the highest p99 of two or
 * more replicas, and any non-2xx. Nothing for a run without answers.
 */
function replicasCard({ replicas, openLoop }: Pick<BenchResult, 'replicas' | 'openLoop'>): string {
  if (replicas.length === 0) return '';
  const named = replicas.filter((replica) => replica.hostname !== NO_HEADER);
  const slowest =
    named.length > 1
      ? named.reduce((top, replica) => (replica.latencyMs.p99 > top.latencyMs.p99 ? replica : top))
      : undefined;
  const columns = replicaColumns(Boolean(openLoop));
  const rows = replicas.map((replica) =>
    columns.map(([heading, cell]): Cell => {
      const text = cell(replica);
      const stands =
        (heading === 'p99' && replica === slowest) || (heading === 'non-2xx' && replica.non2xx > 0);
      return stands ? { strong: text } : text;
    }),
  );
  const from = openLoop
    ? "Latency from each request's intended start; sent: from its actual send. "
    : "Latency from each request's send. ";
  return `<section class="card wide">
<h2>Per replica</h2>
${figureTable(
  columns.map(([heading]) => heading),
  rows,
)}
<p class="run">${escapeHtml(`${from}Replica: the X-Hostname of the answers; ${NO_HEADER} for answers without one, such as the proxy's own 502. In bold: the highest p99 and any non-2xx.`)}</p>
</section>
`;
}

/** A chart over the measured window, with the run's events marked on it. */
function plot(chart: string, top: string, seconds: number, events: readonly RunEvent[]): string {
  const marks = eventMarks(events, seconds);
  return `<figure class="chart"><div class="axis-top">${escapeHtml(top)}</div>${marks.flags}<div class="plot-box">${chart}${marks.lines}</div><figcaption><span>0 s</span><span>time since the start of the measurement</span><span>${seconds.toFixed(1)} s</span></figcaption></figure>`;
}

/**
 * On a cluster of several nodes, the answers by node over time and in all: where the replicas'
 * machines are, and a drained or killed node's share going to the others. Nothing on one machine.
 */
function nodesCard(result: BenchResult, seconds: number): string {
  if (nodesSeen(result.nodes) === 0) return '';
  const nodes = Object.keys(result.nodes);
  return `<section class="card wide">
<h2>Nodes over time</h2>
${plot(nodesChart(result.timeline, seconds, nodes), 'share of the answers of each second, by node', seconds, result.events)}
${legendList(nodes.map((node) => [node, hostnameColour(node)]))}
<h3>Answers per node</h3>
${countChart(result.nodes, result.requests.total, (name) => name, hostnameColour)}
</section>
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
${plot(throughputChart(timeline, seconds, colours), `requests per second, peak ${peakRps}`, seconds, events)}
${legendList([...versionLegend(colours, versions), ['no answer (error)', ERROR_COLOUR]])}
</section>
${eventsCard(events)}<section class="card wide">
<h2>Versions over time</h2>
${plot(versionsChart(timeline, seconds, versions, colours), 'share of the answers of each second, by version', seconds, events)}
${legendList(versionLegend(colours, versions))}
</section>
${nodesCard(result, seconds)}<section class="card wide">
<h2>Failed requests per second</h2>
${plot(failedChart(timeline, seconds), failed === 0 ? 'no request failed' : `failed requests per second, peak ${peakFailed}`, seconds, events)}
${legendList([
  ['non-2xx answer', NON2XX_COLOUR],
  ['no answer (error)', ERROR_COLOUR],
])}
</section>
<section class="card wide">
<h2>p99 latency per second</h2>
${plot(p99Chart(timeline, seconds), `peak ${ms(peakP99)}`, seconds, events)}
</section>
${replicasCard(result)}<section class="card">
<h2>Answers per hostname</h2>
${countChart(result.hostnames, total, (name) => name, hostnameColour)}
<h3>Versions</h3>
${countChart(result.versions, total, versionLabel, (name) => colours.get(name) ?? NO_HEADER_COLOUR)}
</section>
<section class="card">
<h2>Latency percentiles</h2>
${result.openLoop ? openLoopLatency(latencyMs, result.openLoop) : latencyChart(latencyMs)}
</section>
<section class="card wide">
<h2>Options</h2>
${definitionList(optionEntries({ ...options, events: eventsFile(options) }))}
</section>
</div>
<footer>Every number on this page is in bench-latest.json beside it. Started ${escapeHtml(result.startedAt)}, finished ${escapeHtml(result.finishedAt)}.</footer>`,
    '',
    { charts: true },
  );
}
