import {
  atSecondsText,
  failedShare,
  failures,
  ms,
  percent,
  plural,
  ratio,
  rps,
  serviceTimeText,
  versionLabel,
} from './format.js';
import type { ReplicaFigures } from './replicas.js';
import type { BenchResult } from './result.js';
import { nodesSeen, replicasSeen } from './tally.js';

const BAR_WIDTH = 30;
const NAME_WIDTH_MAX = 28;

function fit(name: string, width: number): string {
  return name.length > width ? `${name.slice(0, width - 1)}~` : name.padEnd(width);
}

/** A bar filled in proportion to a share of the whole, so the bars of one block add up to its width. */
export function bar(part: number, whole: number, width = BAR_WIDTH): string {
  const filled = whole > 0 ? Math.round((part / whole) * width) : 0;
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

/** One line per name: the name, a bar of its share, its count and its share. */
function countLines(
  counts: Record<string, number>,
  total: number,
  label: (name: string) => string,
): string[] {
  const labels = Object.keys(counts).map(label);
  const nameWidth = Math.min(NAME_WIDTH_MAX, Math.max(4, ...labels.map((text) => text.length)));
  const countWidth = String(total).length;
  return Object.entries(counts).map(([name, count]) =>
    [
      ` ${fit(label(name), nameWidth)}`,
      bar(count, total),
      String(count).padStart(countWidth),
      percent(count, total).padStart(6),
    ].join('  '),
  );
}

/**
 * Answers by node, on a cluster of several: which machines served the run. Nothing on one machine,
 * where no answer names a node.
 */
function nodeLines(result: BenchResult, total: number): string[] {
  const nodes = nodesSeen(result.nodes);
  if (nodes === 0) return [];
  return [`Nodes (${plural(nodes, 'node')})`, ...countLines(result.nodes, total, (name) => name), ''];
}

/** Rows of cells in columns, each column as wide as its widest cell. */
export function table(rows: ReadonlyArray<readonly string[]>): string[] {
  const widths = (rows[0] ?? []).map((_, column) =>
    Math.max(...rows.map((row) => (row[column] ?? '').length)),
  );
  return rows.map((row) =>
    ` ${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ')}`.trimEnd(),
  );
}

const measured = (value: string, against: number | null) =>
  against === null ? `measured ${value}` : `measured ${value} (${ratio(against)})`;

const LINE_WIDTH = 100;

/** Words wrapped into lines of at most `width` characters (a longer word gets a line of its own). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  return [...lines, line];
}

/** A labelled model line, wrapped under its own column. */
function labelled(label: string, text: string): string[] {
  const indent = ' '.repeat(11);
  return wrap(text, LINE_WIDTH - indent.length).map(
    (line, i) => (i === 0 ? ` ${label.padEnd(10)}` : indent) + line,
  );
}

/** " - 0.40 other work" when the model counted any, else nothing (as in results from before it did). */
export function otherWork({ otherCores = 0 }: { otherCores?: number }): string {
  return otherCores > 0 ? ` - ${otherCores.toFixed(2)} other work` : '';
}

function modelLines({ model, options, loadgenCores, throughputRps, latencyMs, connections }: BenchResult) {
  const lines = [
    'Model (measured / model in brackets)',
    ` cores     ${model.cores} - ${loadgenCores.toFixed(2)} load generator - ${options.proxyCores} proxy${otherWork(model)} = ${model.effectiveCores.toFixed(2)} left for the replicas`,
  ];
  if (model.capacityRps !== null && model.serviceTimeMs !== null) {
    const usable = `min(${plural(model.replicas, 'replica')}, ${model.effectiveCores.toFixed(2)} cores)`;
    lines.push(
      ` capacity  ${usable} / ${ms(model.serviceTimeMs)} = ${rps(model.capacityRps)}; ${measured(rps(throughputRps), model.throughputRatio)}`,
    );
  }
  if (model.predictedLatencyMs !== null) {
    const inFlight = connections * options.pipelining;
    let how = `Little's law, ${inFlight} in flight / throughput`;
    if (model.predictedFrom === 'service time') how = 'rate below capacity, no queue: S';
    else if (model.predictedFrom === 'M/D/c queue') how = 'rate below capacity: S + the M/D/c wait';
    else if (options.rate !== null && model.capacityRps !== null && options.rate < model.capacityRps)
      how = `Little's law, ${inFlight} in flight / capacity`;
    lines.push(
      ` latency   ${how} = ${ms(model.predictedLatencyMs)}; ${measured(`mean ${ms(latencyMs.mean)}`, model.latencyRatio)}`,
    );
  }
  lines.push(...labelled('limit', model.explanation));
  if (model.caveat) lines.push(...labelled('note', model.caveat));
  return lines;
}

/** The run in one line: target, label, loop, connections, duration and start. */
export function describeRun({
  options,
  loop,
  connections,
  durationSeconds,
  interrupted,
  openLoop,
}: BenchResult): string {
  const arrivals = openLoop ? `, ${openLoop.arrivals} arrivals` : '';
  const load = loop === 'open' ? `open loop at ${rps(options.rate ?? 0)}${arrivals}` : 'closed loop';
  const pipelined = options.pipelining > 1 ? ` x ${options.pipelining} pipelined` : '';
  return `${load}, ${plural(connections, 'connection')}${pipelined}, ${durationSeconds.toFixed(1)} s after a ${options.warmup} s warm-up${interrupted ? ', stopped early' : ''}`;
}

/**
 * The figure of a fault or rollout experiment, in one line: "failed 12 of 3462 requests (0.35%):
 * 10 non-2xx answers, 2 errors (1 timeout)", or "failed 0 of 3462 requests".
 */
export function failedLine({ requests }: Pick<BenchResult, 'requests'>): string {
  const { failed, requests: all } = failures(requests);
  const head = `failed ${failed} of ${plural(all, 'request')}`;
  if (failed === 0) return head;
  const timeouts = requests.timeouts > 0 ? ` (${plural(requests.timeouts, 'timeout')})` : '';
  return `${head} (${failedShare(failed, all)}): ${plural(requests.non2xx, 'non-2xx answer')}, ${plural(requests.errors, 'error')}${timeouts}`;
}

/** One line per event: "+12.3 s  kill  hello-lab-hello-2 (SIGKILL)", the details cut to the width. */
export function eventLines(events: BenchResult['events']): string[] {
  if (events.length === 0) return [];
  const times = events.map((event) => atSecondsText(event.atSeconds));
  const timeWidth = Math.max(...times.map((time) => time.length));
  const kindWidth = Math.max(...events.map((event) => event.kind.length));
  const detailWidth = LINE_WIDTH - (1 + timeWidth + 2 + kindWidth + 2);
  return [
    `Events (${events.length})`,
    ...events.map((event, i) =>
      ` ${(times[i] ?? '').padStart(timeWidth)}  ${event.kind.padEnd(kindWidth)}  ${
        event.detail.length > detailWidth ? fit(event.detail, detailWidth) : event.detail
      }`.trimEnd(),
    ),
    '',
  ];
}

/**
 * An open loop's two latencies and its schedule: the table above counts from each request's
 * intended start; from the actual send, a wait the client could not send through is hidden.
 */
export function openLoopLines({ openLoop }: Pick<BenchResult, 'openLoop'>): string[] {
  if (!openLoop) return [];
  const sent = openLoop.sentLatencyMs;
  const late = openLoop.late === 0 ? 'none late' : `${openLoop.late} late, at most ${ms(openLoop.maxLagMs)}`;
  return [
    ` latency above from each request's intended start; from its actual send: p50 ${ms(sent.p50)}, p90 ${ms(sent.p90)}, p99 ${ms(sent.p99)}, max ${ms(sent.max)}`,
    ` schedule ${plural(openLoop.scheduled, 'request')} due, ${late}`,
  ];
}

/** A replica's answers outside 2xx by status, such as "500: 3, 502: 1"; empty without any. */
export function non2xxByStatus({ statusCodes }: Pick<ReplicaFigures, 'statusCodes'>): string {
  return Object.entries(statusCodes)
    .filter(([status]) => !/^2\d\d$/.test(status))
    .map(([status, count]) => `${status}: ${count}`)
    .join(', ');
}

type ReplicaColumn = readonly [heading: string, cell: (replica: ReplicaFigures) => string];

/**
 * The columns of the per-replica table, in both reports: an open loop adds the latency from the
 * actual send beside the one from the intended start.
 */
export function replicaColumns(openLoop: boolean): ReplicaColumn[] {
  const sent = (key: 'p50' | 'p99') => (replica: ReplicaFigures) =>
    replica.sentLatencyMs === null ? '-' : ms(replica.sentLatencyMs[key]);
  return [
    ['replica', (replica) => replica.hostname],
    ['answers', (replica) => String(replica.answers)],
    ['share', (replica) => percent(replica.share, 1)],
    ['p50', (replica) => ms(replica.latencyMs.p50)],
    ['p99', (replica) => ms(replica.latencyMs.p99)],
    ['max', (replica) => ms(replica.latencyMs.max)],
    ...(openLoop
      ? ([
          ['sent p50', sent('p50')],
          ['sent p99', sent('p99')],
        ] as const)
      : []),
    ['non-2xx', (replica) => String(replica.non2xx)],
    ['by status', non2xxByStatus],
  ];
}

/** Left out of the terminal's table, to keep it within 100 columns beside a long hostname. */
const PAGE_ONLY_COLUMNS = new Set(['max', 'sent p50']);

/** Each replica's answers, latency and failures in a table: a slow or failing replica stands out. */
export function replicaLines({ replicas, openLoop }: Pick<BenchResult, 'replicas' | 'openLoop'>): string[] {
  if (replicas.length === 0) return [];
  const columns = replicaColumns(Boolean(openLoop)).filter(([heading]) => !PAGE_ONLY_COLUMNS.has(heading));
  const cells = (replica: ReplicaFigures) =>
    columns.map(([heading, cell]) =>
      heading === 'replica' ? fit(cell(replica), NAME_WIDTH_MAX).trimEnd() : cell(replica),
    );
  return [
    'Per replica',
    ...table([columns.map(([heading]) => heading), ...replicas.map(cells)]),
    ...(openLoop ? [" latency from each request's intended start; sent: from its actual send"] : []),
    '',
  ];
}

/** The terminal report. Pure: the caller prints it; tests check it against a fixture result. */
export function renderText(result: BenchResult): string {
  const { options, requests, latencyMs } = result;
  const total = requests.total;
  return [
    `loadgen  ${options.url}${options.label ? `  "${options.label}"` : ''}  ${result.startedAt}`,
    ` ${describeRun(result)}`,
    ` ${failedLine(result)}`,
    '',
    ...table([
      ['answers', 'throughput', 'p50', 'p90', 'p99', 'max', 'non-2xx', 'errors', 'timeouts'],
      [
        String(total),
        rps(result.throughputRps),
        ms(latencyMs.p50),
        ms(latencyMs.p90),
        ms(latencyMs.p99),
        ms(latencyMs.max),
        String(requests.non2xx),
        String(requests.errors),
        String(requests.timeouts),
      ],
    ]),
    ...openLoopLines(result),
    ` service time ${serviceTimeText(result)}`,
    '',
    ...eventLines(result.events),
    `Hostnames (${plural(replicasSeen(result.hostnames), 'replica')})`,
    ...countLines(result.hostnames, total, (name) => name),
    '',
    ...nodeLines(result, total),
    ...replicaLines(result),
    'Versions',
    ...countLines(result.versions, total, versionLabel),
    '',
    ...modelLines(result),
    '',
  ].join('\n');
}
