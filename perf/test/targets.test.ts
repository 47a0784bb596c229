// The README's targets table and targets.ts say the same: a target changed in one place and not
// in the other fails here. The figures of the fixture's report carry the same targets.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildReport } from '../src/figures.js';
import { ITEMS, type NamedTarget, TARGETS } from '../src/targets.js';
import { MEASUREMENTS } from './fixture.js';

/** How the README words a target: "at least 0.85", "under 0.3 ms". */
const worded = (target: NamedTarget) =>
  `${target.comparison} ${target.value}${target.unit ? ` ${target.unit}` : ''}`;

/** The README's targets table, as its # and Target cells, one entry per row. */
function readmeRows(): { item: string; target: string }[] {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8').split('\n');
  const header = readme.findIndex((line) => /^\| # \| What \| Target \|/.test(line));
  if (header < 0) throw new Error('README.md has no targets table (| # | What | Target | ...)');
  const rows = [];
  // The header, the alignment row, then the rows until the first line that is not one.
  for (const line of readme.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    const [item = '', , target = ''] = line
      .slice(1, -1)
      .split('|')
      .map((cell) => cell.trim());
    rows.push({ item, target });
  }
  return rows;
}

describe('the README’s targets table', () => {
  const rows = readmeRows();
  const named: NamedTarget[] = Object.values(TARGETS);

  it('has a row for each measurement, in the report’s order', () => {
    const items = rows.filter((row) => row.item !== '').map((row) => Number(row.item));
    expect(items).toEqual(Object.values(ITEMS));
  });

  it.each(Object.entries(ITEMS))('gives %s (item %d) the targets of targets.ts', (name, item) => {
    const expected = named
      .filter((target) => target.item === name)
      .map(worded)
      .join('; ');
    expect(rows.find((row) => row.item === String(item))?.target).toBe(expected);
  });

  it('gives no target to the rows shown beside', () => {
    for (const row of rows.filter((each) => each.item === '')) expect(row.target).toBe('');
  });
});

describe('targets.ts', () => {
  const figures = buildReport(MEASUREMENTS, new Date('2026-11-26T18:10:00Z')).figures;
  const targeted = figures.filter((figure) => figure.target !== null);
  const named: NamedTarget[] = Object.values(TARGETS);
  const entryOf = (figure: (typeof figures)[number]) =>
    named.filter(
      (target) =>
        ITEMS[target.item] === figure.item &&
        target.comparison === figure.target?.comparison &&
        target.value === figure.target?.value,
    );

  it('holds every target a figure carries, in the figure’s unit', () => {
    for (const figure of targeted) {
      expect(
        entryOf(figure).map((target) => target.unit),
        figure.id,
      ).toEqual([figure.unit]);
    }
  });

  it('has no target that no figure carries', () => {
    for (const [name, target] of Object.entries(TARGETS)) {
      expect(
        targeted.some((figure) => entryOf(figure).includes(target)),
        name,
      ).toBe(true);
    }
  });
});
