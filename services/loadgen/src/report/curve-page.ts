import { escapeHtml } from '@hello-lab/shared/html';
import type { CurveResult, CurveStep } from '../curve/curve-result.js';
import { ms, rps } from '../format.js';
import { table, wrap } from '../render-text.js';
import { GRID, svgNumber } from './charts.js';
import { htmlPage } from './page.js';
import { definitionList, kpi, legendList } from './parts.js';

// The queueing curve's reports: a table and the knee's sentence for the terminal, and a page with
// the "hockey stick": latency against the offered load, measured beside the theory.

const COLUMNS: ReadonlyArray<readonly [heading: string, cell: (step: CurveStep) => string]> = [
  ['load', (step) => `${Math.round(step.share * 100)} %`],
  ['offered', (step) => rps(step.rate)],
  ['answered', (step) => rps(step.throughputRps)],
  ['p50', (step) => ms(step.p50)],
  ['p99', (step) => ms(step.p99)],
  ['p99 from send', (step) => ms(step.sentP99)],
  ['late', (step) => String(step.late)],
  ['sim p50', (step) => ms(step.simulated.p50)],
  ['sim p99', (step) => ms(step.simulated.p99)],
  ['M/D/c mean', (step) => (step.mdcMeanMs === null ? '-' : ms(step.mdcMeanMs))],
  ['failed', (step) => String(step.failed)],
];

export function renderCurveText(curve: CurveResult): string {
  const { capacity } = curve;
  return [
    `curve  ${curve.label ? `"${curve.label}"  ` : ''}${curve.startedAt}`,
    ` capacity measured ${rps(capacity.throughputRps)} (closed loop), S ${ms(capacity.serviceTimeMs)}, ${capacity.replicas} replicas, ${capacity.effectiveCores.toFixed(2)} free cores; ${curve.arrivals} arrivals`,
    '',
    ...table([
      COLUMNS.map(([heading]) => heading),
      ...curve.steps.map((step) => COLUMNS.map(([, cell]) => cell(step))),
    ]),
    '',
    ...wrap(curve.sentence, 100).map((line) => ` ${line}`),
    '',
  ].join('\n');
}

const SERIES = [
  ['p99 measured', 'p99', 'var(--accent)'],
  ['p50 measured', 'p50', '#2f855a'],
  ['p99 of the simulated lab', 'simP99', '#c05621'],
  ['p50 of the simulated lab', 'simP50', '#718096'],
] as const;

const value = (step: CurveStep, key: (typeof SERIES)[number][1]) =>
  key === 'simP99' ? step.simulated.p99 : key === 'simP50' ? step.simulated.p50 : step[key];

/** Latency on a log scale against the offered share of capacity: the knee shows as a turn upwards. */
function curveSvg(steps: readonly CurveStep[]): string {
  const all = steps.flatMap((step) => SERIES.map(([, key]) => Math.max(value(step, key), 0.01)));
  const low = Math.log10(Math.min(...all));
  const high = Math.max(Math.log10(Math.max(...all)), low + 1);
  const maxShare = Math.max(...steps.map((step) => step.share), 1);
  const x = (share: number) => (share / maxShare) * 100;
  const y = (ms: number) => 100 - ((Math.log10(Math.max(ms, 0.01)) - low) / (high - low)) * 100;
  const lines = SERIES.map(([, key, colour]) => {
    const points = steps
      .map((step) => `${svgNumber(x(step.share))},${svgNumber(y(value(step, key)))}`)
      .join(' ');
    return `<polyline points="${points}" style="fill:none;stroke:${colour};stroke-width:2" vector-effect="non-scaling-stroke"/>`;
  });
  return `<svg class="plot" viewBox="0 0 100 100" preserveAspectRatio="none" role="img" aria-label="p50 and p99 latency against offered load, measured and simulated">${GRID}${lines.join('')}</svg>`;
}

export function renderCurveHtml(curve: CurveResult): string {
  const { capacity, steps } = curve;
  const title = curve.label ?? 'Latency against offered load';
  const top = Math.max(...steps.flatMap((step) => [step.p99, step.simulated.p99]));
  const bottom = Math.min(...steps.flatMap((step) => [step.p50, step.simulated.p50]));
  return htmlPage(
    `${title}: knee ${curve.knee ? `at ${Math.round(curve.knee.share * 100)} %` : 'not reached'}`,
    `<header>
<p class="eyebrow">hello-lab queueing curve · ${escapeHtml(curve.startedAt)}</p>
<h1>${escapeHtml(title)}</h1>
<p class="run">${escapeHtml(`${curve.arrivals} arrivals, ${steps.length} offered loads from ${Math.round((steps[0]?.share ?? 0) * 100)} % to ${Math.round((steps.at(-1)?.share ?? 0) * 100)} % of the capacity`)}</p>
</header>
<div class="kpis">
${kpi('Capacity', rps(capacity.throughputRps), 'measured, closed loop')}
${kpi('Service time', ms(capacity.serviceTimeMs), 'CPU per answer')}
${kpi('Knee', curve.knee ? `${Math.round(curve.knee.share * 100)} %` : 'none', curve.knee ? rps(curve.knee.rate) : 'p99 never stayed doubled')}
</div>
<div class="limit"><p>${escapeHtml(curve.sentence)}</p></div>
<div class="grid">
<section class="card wide">
<h2>Latency against offered load</h2>
<figure class="chart"><div class="axis-top">${escapeHtml(ms(top))} (log scale, down to ${escapeHtml(ms(bottom))})</div>${curveSvg(steps)}<figcaption><span>offered load, share of capacity, up to ${Math.round((steps.at(-1)?.share ?? 1) * 100)} %</span></figcaption></figure>
${legendList(SERIES.map(([label, , colour]) => [label, colour] as const))}
</section>
<section class="card wide">
<h2>Each offered load</h2>
${definitionList(
  steps.map(
    (step) =>
      [
        `${Math.round(step.share * 100)} %, ${rps(step.rate)}`,
        COLUMNS.slice(2)
          .map(([heading, cell]) => `${heading} ${cell(step)}`)
          .join(' · '),
      ] as const,
  ),
)}
</section>
</div>
<footer>Every number on this page is in curve-latest.json beside it. The simulated lab: round robin over the replicas, a fixed S, replicas sharing the free cores; M/D/c: one queue shared by min(replicas, free cores) servers.</footer>`,
  );
}
