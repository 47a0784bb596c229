import { escapeHtml } from '@hello-lab/shared/html';
import { ms, plural, ratio, rps } from '../format.js';
import { table, wrap } from '../render-text.js';
import type { LoadOptions, ScalingVerdict, SweepResult, SweepRow } from '../sweep-result.js';
import { htmlPage } from './page.js';
import { definitionList, figureTable, kpi, legendList, optionEntries } from './parts.js';
import { type Columns, chartBox } from './uplot-charts.js';

/*
 * The sweep's reports, from a SweepResult: a table and the sentence for the terminal, and a
 * self-contained HTML page with the same style, policy and escaping as the run report
 * (page.ts): nothing loaded, charts drawn by uPlot from data in the page, their text in HTML.
 */

const LINE_WIDTH = 100;

/** The load every run was given, in one line: loop, connections, length and warm-up. */
export function describeLoad(options: LoadOptions): string {
  const load = options.rate === null ? 'closed loop' : `open loop at ${rps(options.rate)}`;
  const pipelined = options.pipelining > 1 ? ` x ${options.pipelining} pipelined` : '';
  const length = options.amount === null ? `${options.duration} s` : plural(options.amount, 'request');
  return `${load}, ${plural(options.connections, 'connection')}${pipelined}, ${length} per run after a ${options.warmup} s warm-up`;
}

const speedUp = (row: SweepRow) => (row.speedUp === null ? '-' : ratio(row.speedUp));
const capacity = (row: SweepRow) => (row.model.capacityRps === null ? '-' : rps(row.model.capacityRps));
const throughputRatio = (row: SweepRow) =>
  row.model.throughputRatio === null ? '-' : ratio(row.model.throughputRatio);

/** The columns of both tables: a heading and a cell per row. */
const COLUMNS: ReadonlyArray<readonly [heading: string, cell: (row: SweepRow) => string]> = [
  ['replicas', (row) => String(row.replicas)],
  ['throughput', (row) => rps(row.throughputRps)],
  ['speed-up', speedUp],
  ['capacity', capacity],
  ['ratio', throughputRatio],
  ['cores left', (row) => row.model.effectiveCores.toFixed(2)],
  ['p50', (row) => ms(row.latencyMs.p50)],
  ['p99', (row) => ms(row.latencyMs.p99)],
  ['errors', (row) => String(row.errors)],
  ['limit', (row) => row.model.limit],
];

const VERDICT_NOTES: Record<ScalingVerdict, string> = {
  cores: 'the cores left are full',
  elsewhere: 'before the cores are full',
  'still growing': 'still growing',
  'one replica count': 'one replica count only',
};

function mixedNote({ mixedOptions }: SweepResult): string | null {
  if (mixedOptions.length === 0) return null;
  return `The runs differ in ${mixedOptions.join(', ')}: their numbers do not compare; these are the first run's.`;
}

/** The terminal report. Pure: the caller prints it. */
export function renderSweepText(sweep: SweepResult): string {
  const { options, rows, scaling } = sweep;
  const note = mixedNote(sweep);
  return [
    `sweep  ${options.url}  ${plural(rows.length, 'run')}  ${sweep.startedAt}`,
    ` ${describeLoad(options)}`,
    '',
    ...table([
      COLUMNS.map(([heading]) => heading),
      ...rows.map((row) => COLUMNS.map(([, cell]) => cell(row))),
    ]),
    ' speed-up: throughput / the 1-replica run; ratio: throughput / capacity',
    '',
    ...wrap(scaling.sentence, LINE_WIDTH),
    ...(note ? wrap(`Note: ${note}`, LINE_WIDTH) : []),
    '',
  ].join('\n');
}

const MEASURED_COLOUR = 'var(--accent)';
const CAPACITY_COLOUR = 'var(--muted)';

/** One column per run, `left` into the run's unit and `width` wide, standing on the base line. */
function runColumns(
  rows: readonly SweepRow[],
  name: string,
  colour: string,
  left: number,
  width: number,
  value: (row: SweepRow) => number | null,
): Columns {
  const drawn = rows.flatMap((row, i) => {
    const v = value(row);
    return v === null ? [] : [[i + left, Math.max(0, v)] as const];
  });
  return {
    name,
    colour,
    width,
    x: drawn.map(([x]) => x),
    y0: drawn.map(() => 0),
    y1: drawn.map(([, v]) => v),
  };
}

/**
 * Throughput per run, and beside it the model's capacity for that run: one unit across per run,
 * up to the largest of both. A run without a capacity has its measured column only.
 */
export function throughputBySweepChart(rows: readonly SweepRow[]): string {
  const peak = Math.max(1, ...rows.flatMap((row) => [row.throughputRps, row.model.capacityRps ?? 0]));
  return chartBox({
    label: `Throughput and model capacity by replicas, peak ${Math.round(peak)} req/s`,
    xMax: rows.length,
    yMax: peak,
    columns: [
      runColumns(rows, 'measured throughput', MEASURED_COLOUR, 0.14, 0.34, (row) => row.throughputRps),
      runColumns(rows, 'model capacity', CAPACITY_COLOUR, 0.52, 0.34, (row) => row.model.capacityRps),
    ],
  });
}

/** The p99 latency of each run as a column, up to the largest. */
export function p99BySweepChart(rows: readonly SweepRow[]): string {
  const peak = Math.max(1, ...rows.map((row) => row.latencyMs.p99));
  return chartBox({
    label: `p99 latency by replicas, peak ${peak} ms`,
    xMax: rows.length,
    yMax: peak,
    columns: [runColumns(rows, 'p99', MEASURED_COLOUR, 0.2, 0.6, (row) => row.latencyMs.p99)],
  });
}

/** A chart with its scale above and, under each run's column, its replicas and a value. */
function chart(
  plot: string,
  top: string,
  rows: readonly SweepRow[],
  value: (row: SweepRow) => string,
): string {
  const ticks = rows.map((row) => `<span><b>${row.replicas}</b>${escapeHtml(value(row))}</span>`).join('');
  return `<figure class="chart"><div class="axis-top">${escapeHtml(top)}</div>${plot}<div class="ticks" style="grid-template-columns:repeat(${rows.length},minmax(0,1fr))">${ticks}</div><figcaption><span>replicas seen</span></figcaption></figure>`;
}

function runsTable(rows: readonly SweepRow[]): string {
  return figureTable(
    ['run', ...COLUMNS.map(([heading]) => heading)],
    rows.map((row) => [row.label ?? '-', ...COLUMNS.map(([, cell]) => cell(row))]),
  );
}

const SWEEP_STYLE = `
.ticks{display:grid;gap:2px;margin-top:4px;text-align:center;font-size:.75rem;color:var(--muted);
  font-variant-numeric:tabular-nums}
.ticks span{overflow-wrap:anywhere}.ticks b{display:block;color:var(--text);font-size:.85rem}
figcaption{justify-content:center}
`;

/** The HTML report of a sweep. Pure: the caller writes it to sweep-latest.html. */
export function renderSweepHtml(sweep: SweepResult): string {
  const { options, rows, scaling } = sweep;
  const fewest = rows[0]?.replicas ?? 0;
  const most = rows.at(-1)?.replicas ?? 0;
  const title = `Scaling ${new URL(options.url).host} from ${fewest} to ${plural(most, 'replica')}`;
  const best = rows.reduce<SweepRow | undefined>(
    (top, row) => (top === undefined || row.throughputRps > top.throughputRps ? row : top),
    undefined,
  );
  const note = mixedNote(sweep);
  const peakRps = Math.max(0, ...rows.flatMap((row) => [row.throughputRps, row.model.capacityRps ?? 0]));
  const peakP99 = Math.max(0, ...rows.map((row) => row.latencyMs.p99));

  return htmlPage(
    title,
    `<header>
<p class="eyebrow">hello-lab scaling sweep · ${escapeHtml(sweep.startedAt)}</p>
<h1>${escapeHtml(title)}</h1>
<p class="run"><code>${escapeHtml(options.url)}</code> · ${escapeHtml(describeLoad(options))}</p>
</header>
<div class="kpis">
${kpi('Runs', String(rows.length), `${fewest} to ${plural(most, 'replica')} seen`)}
${best ? kpi('Best throughput', rps(best.throughputRps), `at ${plural(best.replicas, 'replica')}`) : ''}
${best === undefined || best.speedUp === null ? '' : kpi('Best speed-up', ratio(best.speedUp), 'against 1 replica')}
${kpi('Scaling stops', scaling.stopsAt === null ? 'not seen' : `after ${scaling.stopsAt}`, VERDICT_NOTES[scaling.verdict])}
${kpi('Cores left', scaling.effectiveCores.toFixed(2), 'for the replicas')}
</div>
<div class="limit"><p><strong>Where scaling stops.</strong> ${escapeHtml(scaling.sentence)}</p>${note ? `<p>${escapeHtml(note)}</p>` : ''}</div>
<div class="grid">
<section class="card">
<h2>Throughput against replicas</h2>
${chart(throughputBySweepChart(rows), `answers per second, peak ${Math.round(peakRps)}`, rows, (row) => `${Math.round(row.throughputRps)} req/s`)}
${legendList([
  ['measured throughput', MEASURED_COLOUR],
  ['model capacity', CAPACITY_COLOUR],
])}
</section>
<section class="card">
<h2>p99 latency against replicas</h2>
${chart(p99BySweepChart(rows), `peak ${ms(peakP99)}`, rows, (row) => ms(row.latencyMs.p99))}
</section>
<section class="card wide">
<h2>Runs</h2>
${runsTable(rows)}
<p class="run">Speed-up: throughput / the 1-replica run. Ratio: throughput / the model's capacity. Errors: non-2xx answers and failed requests.</p>
</section>
<section class="card wide">
<h2>Options of the runs</h2>
${definitionList(optionEntries(options))}
</section>
</div>
<footer>Every number on this page is in sweep-latest.json beside it. First run started ${escapeHtml(sweep.startedAt)}, last finished ${escapeHtml(sweep.finishedAt)}.</footer>`,
    SWEEP_STYLE,
    { charts: true },
  );
}
