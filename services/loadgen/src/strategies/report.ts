// The comparison's reports, from a StrategiesResult: a table and the sentence for the terminal
// (also strategies-latest.txt), and a self-contained page with the style, policy and escaping of
// the other reports: no script, nothing loaded, one chart as inline SVG with its text in HTML.
import { escapeHtml } from '@hello-lab/shared/html';
import { ms, plural, rps } from '../format.js';
import { table, wrap } from '../render-text.js';
import { svgNumber } from '../report/charts.js';
import { hostnameColour } from '../report/colours.js';
import { htmlPage } from '../report/page.js';
import { type Cell, definitionList, figureTable, kpi, legendList, optionEntries } from '../report/parts.js';
import { describeLoad } from '../report/sweep-page.js';
import { type StrategiesResult, type StrategyRow, shareText } from './comparison.js';

const LINE_WIDTH = 100;

/** A replica as a column heading: its hostname, marked when it is the slow one. */
function replicaHeading(result: StrategiesResult, hostname: string): string {
  return hostname === result.slowReplica?.hostname ? `${hostname} (slow)` : hostname;
}

/** The figures of every row, the headings first: what both the text and the HTML table show. */
function figureRows(result: StrategiesResult): { headings: string[]; rows: Cell[][] } {
  const headings = [
    'strategy',
    'nginx',
    'throughput',
    'p50',
    'p99',
    'errors',
    ...result.replicas.map((hostname) => replicaHeading(result, hostname)),
  ];
  const { fastest, lowestP99 } = result.verdict;
  const rows = result.rows.map((row): Cell[] => {
    const throughput = rps(row.throughputRps);
    const p99 = ms(row.latencyMs.p99);
    return [
      row.name,
      row.directive,
      row.strategy === fastest ? { strong: throughput } : throughput,
      ms(row.latencyMs.p50),
      row.strategy === lowestP99 ? { strong: p99 } : p99,
      String(row.errors),
      ...row.replicas.map((replica) => shareText(replica, row)),
    ];
  });
  return { headings, rows };
}

const cellText = (cell: Cell) => (typeof cell === 'string' ? cell : cell.strong);

function slowText({ slowReplica }: StrategiesResult): string {
  if (slowReplica === null) return 'no replica made slow';
  return `slow replica ${slowReplica.hostname}: its busy loop ${slowReplica.factor} times over`;
}

/** The terminal report, also written as strategies-latest.txt. Pure: the caller prints it. */
export function renderStrategiesText(result: StrategiesResult): string {
  const { headings, rows } = figureRows(result);
  return [
    `strategies  ${result.options.url}  ${plural(result.rows.length, 'strategy', 'strategies')}  ${result.startedAt}`,
    ` ${describeLoad(result.options)}; ${slowText(result)}`,
    '',
    ...table([headings, ...rows.map((row) => row.map(cellText))]),
    ' each replica column: its share of the strategy\u2019s answers (its answers)',
    '',
    ...wrap(result.verdict.sentence, LINE_WIDTH).map((line) => ` ${line}`),
    '',
  ].join('\n');
}

/** Height of one strategy's band in the chart, in SVG units; its bar is the middle half. */
const BAND = 10;

/**
 * One bar per strategy, as long as its throughput against the largest, cut into its replicas'
 * shares of the answers in each replica's colour: the length says how much, the colours where it
 * went. One unit across is 1 % of the largest throughput.
 */
export function strategiesSvg(result: StrategiesResult): string {
  const peak = Math.max(1, ...result.rows.map((row) => row.throughputRps));
  const bars = result.rows.flatMap((row, i) => {
    const y = i * BAND + BAND / 4;
    const length = (row.throughputRps / peak) * 100;
    let x = 0;
    const parts = row.replicas.map((replica) => {
      const width = replica.share * length;
      const rect = `<rect x="${svgNumber(x)}" y="${y}" width="${svgNumber(width)}" height="${BAND / 2}" style="fill:${hostnameColour(replica.hostname)}"><title>${escapeHtml(`${replica.hostname}: ${shareText(replica, row)}`)}</title></rect>`;
      x += width;
      return rect;
    });
    return [`<rect class="track" x="0" y="${y}" width="100" height="${BAND / 2}"/>`, ...parts];
  });
  return `<svg class="strategies-plot" viewBox="0 0 100 ${result.rows.length * BAND}" preserveAspectRatio="none" role="img" aria-label="Throughput by strategy, peak ${Math.round(peak)} req/s, cut into each replica's share">${bars.join('')}</svg>`;
}

function strategiesChart(result: StrategiesResult): string {
  const count = result.rows.length;
  const labels = result.rows.flatMap((row: StrategyRow, i) => [
    `<span class="name" style="grid-row:${i + 1}">${escapeHtml(row.name)}</span>`,
    `<span class="value" style="grid-row:${i + 1}">${escapeHtml(`${rps(row.throughputRps)} · p99 ${ms(row.latencyMs.p99)}`)}</span>`,
  ]);
  const legend = legendList(
    result.replicas.map((hostname) => [replicaHeading(result, hostname), hostnameColour(hostname)] as const),
  );
  return `<figure class="chart"><div class="strategies" style="grid-template-rows:repeat(${count},2.4rem)">${labels.join('')}<div class="plot-cell" style="grid-row:1/span ${count}">${strategiesSvg(result)}</div></div><figcaption><span>bar length: throughput against the highest; colours: each replica's share of the answers</span></figcaption>${legend}</figure>`;
}

const STRATEGIES_STYLE = `
.strategies{display:grid;grid-template-columns:minmax(5rem,max-content) minmax(0,1fr) max-content;gap:0 10px;
  align-items:center}
.strategies .name{grid-column:1;overflow-wrap:anywhere}
.strategies .value{grid-column:3;color:var(--muted);font-variant-numeric:tabular-nums;white-space:nowrap}
.strategies .plot-cell{grid-column:2;align-self:stretch}
svg.strategies-plot{display:block;width:100%;height:100%}
@media (max-width:520px){.strategies .value{font-size:.75rem;white-space:normal}}
`;

/** The HTML report of the comparison. Pure: the caller writes it to strategies-latest.html. */
export function renderStrategiesHtml(result: StrategiesResult): string {
  const { rows, verdict, slowReplica } = result;
  const fastest = rows.find((row) => row.strategy === verdict.fastest);
  const lowest = rows.find((row) => row.strategy === verdict.lowestP99);
  const title = `${plural(rows.length, 'balancing strategy', 'balancing strategies')} over ${plural(result.replicas.length, 'replica')}`;
  const { headings, rows: cells } = figureRows(result);
  return htmlPage(
    title,
    `<header>
<p class="eyebrow">hello-lab balancing strategies · ${escapeHtml(result.startedAt)}</p>
<h1>${escapeHtml(title)}</h1>
<p class="run"><code>${escapeHtml(result.options.url)}</code> · ${escapeHtml(describeLoad(result.options))} · ${escapeHtml(slowText(result))}</p>
</header>
<div class="kpis">
${fastest ? kpi('Highest throughput', rps(fastest.throughputRps), fastest.name) : ''}
${lowest ? kpi('Lowest p99', ms(lowest.latencyMs.p99), lowest.name) : ''}
${kpi('Slow replica', slowReplica?.hostname ?? 'none', slowReplica ? `busy loop ${slowReplica.factor} times over` : '')}
</div>
<div class="limit"><p><strong>Which wins.</strong> ${escapeHtml(verdict.sentence)}</p></div>
<div class="grid">
<section class="card wide">
<h2>Throughput and where the answers went</h2>
${strategiesChart(result)}
</section>
<section class="card wide">
<h2>Strategies</h2>
${figureTable(headings, cells)}
<p class="run">Each replica column: its share of the strategy's answers, and its answers; they add up to the strategy's. Errors: non-2xx answers and failed requests.</p>
</section>
<section class="card wide">
<h2>Options of the runs</h2>
${definitionList(optionEntries(result.options))}
</section>
</div>
<footer>Every number on this page is in strategies-latest.json beside it. First strategy started ${escapeHtml(result.startedAt)}, last finished ${escapeHtml(result.finishedAt)}.</footer>`,
    STRATEGIES_STYLE,
  );
}
