import { describe, expect, it } from 'vitest';
import { failedChart, p99Chart, throughputChart, versionsChart } from '../../src/report/charts.js';
import { type ChartSpec, type Columns, chartBox, chartSpecs } from '../../src/report/uplot-charts.js';
import { loadFixture } from '../fixture.js';

/** The one chart's data in a chart box. */
function spec(box: string): ChartSpec {
  const [found, ...rest] = chartSpecs(box);
  expect(rest).toEqual([]);
  if (!found) throw new Error('no chart data');
  return found;
}
const columns = (box: string): Columns[] => {
  const found = spec(box);
  if (!('columns' in found)) throw new Error('not a column chart');
  return found.columns;
};
/** The column of a series in a second, as [bottom, top]. */
const at = (series: Columns | undefined, x: number) => {
  const i = series?.x.indexOf(x) ?? -1;
  return i === -1 ? undefined : [series?.y0[i], series?.y1[i]];
};

describe('charts over time', () => {
  const { timeline } = loadFixture();
  const colours = new Map([
    ['1', '#111'],
    ['2', '#222'],
    ['(none)', '#333'],
  ]);

  it('stacks each second by version with failures on top, scaled to the busiest second', () => {
    const box = throughputChart(timeline, 10, colours);
    expect(spec(box)).toMatchObject({ xMax: 10, yMax: 352, label: 'Requests per second, peak 352' });
    const [v1, , , errors] = columns(box);
    expect(columns(box).map((c) => [c.name, c.colour, c.width])).toEqual([
      ['v1', '#111', 0.76],
      ['v2', '#222', 0.76],
      ['(none)', '#333', 0.76],
      ['no answer (error)', '#dc2626', 0.76],
    ]);
    // second 0: 338 answers, all v1; second 4: 2 failed requests on top of its answers
    expect(at(v1, 0.12)).toEqual([0, 338]);
    const top = at(errors, 4.12);
    expect((top?.[1] ?? 0) - (top?.[0] ?? 0)).toBe(2);
  });

  it('draws the p99 per second as one line, broken where a second had no answers', () => {
    const line = spec(p99Chart(timeline, 10));
    expect('line' in line && line.line.y.every((v) => v !== null)).toBe(true);
    const gap = timeline.map((second) => (second.second === 5 ? { ...second, p99Ms: null } : second));
    const broken = spec(p99Chart(gap, 10));
    expect('line' in broken && broken.line.y.filter((v) => v === null)).toEqual([null]);
    expect('line' in broken && broken.line.x[0]).toBe(0.5);
  });

  it('stacks the shares of the versions to the full height in every second', () => {
    const [v1, v2, none] = columns(versionsChart(timeline, 10, ['1', '2', '(none)'], colours));
    // second 0 is all v1; second 5 half v1, half v2 and 4 of 344 without a version, on top
    expect(at(v1, 0)).toEqual([0, 100]);
    expect(at(v1, 5)).toEqual([0, Number(((170 / 344) * 100).toFixed(3))]);
    expect(at(none, 5)?.[1]).toBeCloseTo(100, 2);
    // v2 appears from second 3 and v1 is gone from second 8
    expect(v2?.x).toHaveLength(7);
    expect(v1?.x).toHaveLength(8);
  });

  it('draws a version with no answers as an empty series, and skips seconds without answers', () => {
    const quiet = timeline.map((second) => (second.second === 0 ? { ...second, versions: {} } : second));
    const series = columns(versionsChart(quiet, 10, ['1', '2', '3'], colours));
    expect(series.map((c) => c.name)).toEqual(['v1', 'v2', 'v3']);
    expect(series[0]?.x).not.toContain(0);
    expect(series[2]?.x).toEqual([]);
  });

  it('scales the failed requests to the worst second, the errors on top of the non-2xx answers', () => {
    const box = failedChart(timeline, 10);
    expect(spec(box).yMax).toBe(8);
    const [non2xx, errors] = columns(box);
    // second 4: 6 non-2xx and 2 errors, the worst; second 5: 4 non-2xx
    expect(at(non2xx, 4.12)).toEqual([0, 6]);
    expect(at(errors, 4.12)).toEqual([6, 8]);
    expect(at(non2xx, 5.12)).toEqual([0, 4]);
    expect([non2xx?.x.length, errors?.x.length]).toEqual([2, 1]);
  });
});

describe('chartBox', () => {
  it('keeps its data in a block that nothing in the data can close', () => {
    const box = chartBox({
      label: '</script><b>',
      xMax: 1,
      yMax: 1,
      line: { name: '</script>', colour: '#000', x: [0], y: [1] },
    });
    expect(box.match(/<\/script>/g)).toHaveLength(1);
    expect(box).toContain('aria-label="&lt;/script&gt;&lt;b&gt;"');
    expect(chartSpecs(box)[0]).toMatchObject({ label: '</script><b>', line: { name: '</script>' } });
  });
});
