import { escapeHtml } from '@hello-lab/shared/html';
import { flagOf, type Options } from '../options.js';

// The parts of a report page besides its charts: key figures, keys to colours, lists of terms.

export function kpi(label: string, value: string, note = ''): string {
  return `<div class="kpi"><span>${escapeHtml(label)}</span><strong>${escapeHtml(value)}</strong>${note ? `<small>${escapeHtml(note)}</small>` : ''}</div>`;
}

/** A chart's key: a swatch of each colour and what it stands for. */
export function legendList(entries: ReadonlyArray<readonly [label: string, colour: string]>): string {
  const items = entries.map(
    ([label, colour]) => `<li><i style="background:${colour}"></i>${escapeHtml(label)}</li>`,
  );
  return `<ul class="legend">${items.join('')}</ul>`;
}

/** A table cell: its text, or its text in bold, for a figure the reader should see first. */
export type Cell = string | { strong: string };

const cellHtml = (cell: Cell) =>
  `<td>${typeof cell === 'string' ? escapeHtml(cell) : `<strong>${escapeHtml(cell.strong)}</strong>`}</td>`;

/**
 * A table of figures under a row of headings: the first and last columns read left aligned, the
 * numbers between right aligned. It scrolls inside its card on a narrow screen.
 */
export function figureTable(headings: readonly string[], rows: ReadonlyArray<readonly Cell[]>): string {
  const head = headings.map((heading) => `<th scope="col">${escapeHtml(heading)}</th>`).join('');
  const body = rows.map((row) => `<tr>${row.map(cellHtml).join('')}</tr>`).join('\n');
  return `<div class="scroll"><table class="figures"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
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
