import { describe, expect, it } from 'vitest';
import { compareStrategies } from '../../src/strategies/comparison.js';
import { renderStrategiesHtml, renderStrategiesText, strategiesSvg } from '../../src/strategies/report.js';
import { STRATEGIES } from '../../src/strategies/strategies.js';
import { loadFixture } from '../fixture.js';
import { measuredRuns, SLOW } from './runs.js';

const comparison = compareStrategies(measuredRuns(), loadFixture().options, { hostname: SLOW, factor: 2 });

describe('renderStrategiesText', () => {
  const text = renderStrategiesText(comparison);
  const lines = text.split('\n');

  it('has a row per strategy with its figures and every replica share, and the slow replica marked', () => {
    expect(lines).toContain(
      ' least_conn                   least_conn                     325.1 req/s  25.5 ms  102 ms  0       20.0% (261)          42.3% (552)  37.7% (493)',
    );
    expect(text).toContain(`${SLOW} (slow)`);
    expect(text).toContain('slow replica slow0replica: its busy loop 2 times over');
  });

  it('ends with the verdict, wrapped', () => {
    const flowing = text.trim().replace(/\s+/g, ' ');
    expect(flowing.endsWith(comparison.verdict.sentence)).toBe(true);
    expect(Math.max(...lines.slice(-6).map((line) => line.length))).toBeLessThanOrEqual(101);
  });
});

describe('renderStrategiesHtml', () => {
  const html = renderStrategiesHtml(comparison);

  it('is one self-contained page with one chart and the verdict', () => {
    expect(html.match(/<svg/g)).toHaveLength(1);
    expect(html).not.toMatch(/<script|<link|src=/);
    expect(html).toContain('Here least_conn wins');
    for (const strategy of STRATEGIES) expect(html).toContain(strategy.name);
  });

  it('draws each strategy as long as its throughput against the fastest, cut into its replicas', () => {
    const svg = strategiesSvg(comparison);
    // least_conn, the fastest: its three parts fill the track.
    const leastConn = [...svg.matchAll(/<rect x="([\d.]+)" y="12.5" width="([\d.]+)"/g)].map((m) =>
      Number(m[2]),
    );
    expect(leastConn.reduce((sum, width) => sum + width, 0)).toBeCloseTo(100, 1);
    // The sticky hash at 103 of 325.1 req/s, all on the slow replica.
    expect(svg).toMatch(/<rect x="0" y="32.5" width="31.68[0-9]*" height="5"/);
  });
});
