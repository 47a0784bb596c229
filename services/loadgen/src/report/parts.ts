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
