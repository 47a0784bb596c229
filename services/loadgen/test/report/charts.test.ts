import { describe, expect, it } from 'vitest';
import { failedSvg, p99Svg, throughputSvg, versionsSvg } from '../../src/report/charts.js';
import { loadFixture } from '../fixture.js';

const count = (text: string, pattern: RegExp) => text.match(pattern)?.length ?? 0;

describe('charts', () => {
  const { timeline } = loadFixture();
  const colours = new Map([
    ['1', '#111'],
    ['2', '#222'],
    ['(none)', '#333'],
  ]);

  it('stacks each second by version with failures on top, scaled to the busiest second', () => {
    const svg = throughputSvg(timeline, 10, colours);
    expect(svg).toContain('viewBox="0 0 10 100" preserveAspectRatio="none"');
    // second 0: 338 answers, all v1; the peak is second 1 with 352
    expect(svg).toContain(`<rect x="0.12" y="${Number((100 - (338 / 352) * 100).toFixed(3))}" width="0.76"`);
    // second 4: 2 failed requests drawn in red
    expect(svg).toMatch(/<rect x="4\.12" y="[\d.]+" width="0\.76" height="0\.568" style="fill:#dc2626"\/>/);
  });

  it('draws the p99 per second as one line, broken where a second had no answers', () => {
    expect(p99Svg(timeline, 10).match(/M/g)).toHaveLength(1);
    const gap = timeline.map((second) => (second.second === 5 ? { ...second, p99Ms: null } : second));
    expect(p99Svg(gap, 10).match(/M/g)).toHaveLength(2);
  });
});

describe('time charts', () => {
  const { timeline } = loadFixture();
  const colours = new Map([
    ['1', '#111'],
    ['2', '#222'],
    ['(none)', '#333'],
  ]);

  it('stacks the shares of the versions to the full height in every second', () => {
    const svg = versionsSvg(timeline, 10, ['1', '2', '(none)'], colours);
    const groups = [
      ...svg.matchAll(/<g class="series" style="fill:(#\d+)"><title>[^<]+<\/title>(.*?)<\/g>/g),
    ];
    expect(groups.map((group) => group[1])).toEqual(['#111', '#222', '#333']);
    // second 0 is all v1; second 5 half v1, half v2 and 4 of 344 without a version, on top
    expect(groups[0]?.[2]).toContain('<rect x="0" y="0" width="1" height="100"/>');
    expect(groups[0]?.[2]).toContain(`<rect x="5" y="${Number((100 - (170 / 344) * 100).toFixed(3))}"`);
    expect(groups[2]?.[2]).toContain(
      `<rect x="5" y="0" width="1" height="${Number(((4 / 344) * 100).toFixed(3))}"/>`,
    );
    // v2 appears from second 3 and v1 is gone from second 8
    expect(count(groups[1]?.[2] ?? '', /<rect/g)).toBe(7);
    expect(count(groups[0]?.[2] ?? '', /<rect/g)).toBe(8);
  });

  it('draws a version with no answers as an empty series, and skips seconds without answers', () => {
    const quiet = timeline.map((second) => (second.second === 0 ? { ...second, versions: {} } : second));
    const svg = versionsSvg(quiet, 10, ['1', '2', '3'], colours);
    expect(count(svg, /<g class="series"/g)).toBe(3);
    expect(svg).not.toContain('<rect x="0"');
    expect(svg).toContain('<title>v3</title></g>');
  });

  it('scales the failed requests to the worst second, the errors on top of the non-2xx answers', () => {
    const svg = failedSvg(timeline, 10);
    // second 4: 6 non-2xx and 2 errors, the worst; second 5: 4 non-2xx
    expect(svg).toContain('<rect x="4.12" y="25" width="0.76" height="75" style="fill:#ea580c"/>');
    expect(svg).toContain('<rect x="4.12" y="0" width="0.76" height="25" style="fill:#dc2626"/>');
    expect(svg).toContain('<rect x="5.12" y="50" width="0.76" height="50" style="fill:#ea580c"/>');
    expect(count(svg, /<rect/g)).toBe(3);
  });
});
