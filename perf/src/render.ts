import type { Figure, Method, PerfReport } from './figures.js';

/** A number as the table shows it: grouped thousands for rates, fixed decimals for the rest. */
export function formatValue(value: number, unit: string): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (unit === 'req/s' || unit === 'req/CPU-s') return Math.round(value).toLocaleString('en-US');
  if (unit === 's') return value.toFixed(1);
  if (unit === 'ms') return value.toFixed(3);
  if (unit === '%') return value.toFixed(3);
  if (unit === 'per 1000') return value.toFixed(2);
  return value.toFixed(3);
}

const withUnit = (text: string, unit: string) => (unit === '' || text === 'n/a' ? text : `${text} ${unit}`);

function formatTarget(figure: Figure): string {
  if (!figure.target) return '';
  const sign = figure.target.comparison === 'at least' ? '\u2265' : '<';
  return `${sign} ${withUnit(String(figure.target.value), figure.unit)}`;
}

function formatMet(figure: Figure): string {
  if (figure.met === null) return '';
  return figure.met ? 'met' : '**missed**';
}

/** "loadgen ...; nginx to 2 replicas; 10 s x 3, 10 connections". */
export function formatMethod(method: Method): string {
  const size = [
    method.durationSeconds !== null ? `${method.durationSeconds} s` : null,
    method.requests !== undefined ? `${method.requests.toLocaleString('en-US')} requests` : null,
  ]
    .filter(Boolean)
    .join(', ');
  const length = size ? `${size} \u00d7 ${method.repetitions}` : `\u00d7 ${method.repetitions}`;
  const connections =
    method.connections === null
      ? ''
      : `, ${method.connections} ${method.connections === 1 ? 'connection' : 'connections'}`;
  return `${method.tool}; ${method.target}; ${length}${connections}`;
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

/** The report as Markdown: a heading, the table of figures, then the notes. */
export function renderMarkdown(report: PerfReport): string {
  const header = ['#', 'Figure', 'Median', 'Min', 'Max', 'Target', '', 'Limited by', 'How measured'];
  const rows = report.figures.map((figure) => [
    String(figure.item),
    figure.name,
    withUnit(formatValue(figure.median, figure.unit), figure.unit),
    formatValue(figure.min, figure.unit),
    formatValue(figure.max, figure.unit),
    formatTarget(figure),
    formatMet(figure),
    figure.limitedBy ?? '',
    formatMethod(figure.method),
  ]);
  const missed = report.figures.filter((figure) => figure.met === false);
  const versions = Object.entries(report.machine.versions)
    .map(([name, version]) => `${name} ${version}`)
    .join(', ');
  return [
    `# hello-lab performance${report.quick ? ' (quick run: tiny sizes, the figures prove the job works)' : ''}`,
    '',
    `${report.startedAt} to ${report.finishedAt}, ${report.machine.cores} cores, project ${report.project}; ${versions}. ` +
      'Every figure is the median of its repetitions, measured side by side in this one run; ratios hold ' +
      'on a shared machine, absolute numbers drift.',
    '',
    `| ${header.join(' | ')} |`,
    `| ${header.map((_, i) => (i >= 2 && i <= 4 ? '---:' : '---')).join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
    '',
    `Targets: ${report.figures.filter((f) => f.met === true).length} met, ${missed.length} missed` +
      (missed.length > 0 ? ` (${missed.map((f) => f.id).join(', ')})` : '') +
      '.',
    '',
    ...report.notes.map((note) => `- ${note}`),
    '',
  ].join('\n');
}
