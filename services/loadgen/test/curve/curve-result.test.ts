import { describe, expect, it } from 'vitest';
import { curveRates, curveResult, SHARES } from '../../src/curve/curve-result.js';
import { renderCurveHtml, renderCurveText } from '../../src/report/curve-page.js';
import type { BenchResult } from '../../src/result.js';
import { loadFixture } from '../fixture.js';
import { seeded } from '../open-loop/virtual.js';

/** A capacity run of 2 replicas on 2 free cores at S = 4 ms, and one open-loop run per rate. */
function runs(p99s: readonly number[]) {
  const base = loadFixture();
  const capacity: BenchResult = {
    ...base,
    throughputRps: 480,
    model: { ...base.model, serviceTimeMs: 4, replicas: 2, effectiveCores: 2 },
  };
  const open = curveRates(480).map(
    (rate, i): BenchResult => ({
      ...base,
      options: { ...base.options, rate },
      throughputRps: rate,
      latencyMs: { ...base.latencyMs, p50: 4.5, p99: p99s[i] ?? 0 },
      requests: { ...base.requests, non2xx: 0, errors: 0, timeouts: 0 },
      openLoop: {
        arrivals: 'poisson',
        rate,
        scheduled: rate,
        late: i,
        maxLagMs: 0,
        sentLatencyMs: { ...base.latencyMs, mean: 4, p99: 5 },
      },
    }),
  );
  return { capacity, open };
}

describe('curveRates', () => {
  it('offers 10 % to 110 % of the capacity, in whole requests per second', () => {
    expect(curveRates(480)).toEqual([48, 120, 240, 336, 384, 432, 480, 528]);
    expect(curveRates(3)[0]).toBe(1);
  });
});

describe('curveResult', () => {
  it('finds the knee where p99 first doubles from the lightest load, and says what sets it', () => {
    const { capacity, open } = runs([6, 6.5, 7, 9, 13, 30, 200, 900]);
    const curve = curveResult(capacity, open, seeded(1));
    expect(curve.knee).toEqual({ share: 0.8, rate: 384 });
    expect(curve.sentence).toMatch(/^The knee is at about 80 % of the measured capacity \(384 req\/s\)/);
    expect(curve.sentence).toContain('min(2 replicas, 2.00 free cores) / S');
    expect(curve.steps.map((step) => step.share)).toEqual([...SHARES]);
  });

  it('finds the knee where p99 stays above twice its light-load value, not at a spike that falls back', () => {
    // A short run on a noisy machine: p99 jumps at 25 %, falls back, and only turns up for good
    // at 90 %.
    const { capacity, open } = runs([6, 14, 7, 8, 9, 30, 200, 900]);
    const curve = curveResult(capacity, open, seeded(1));
    expect(curve.knee).toEqual({ share: 0.9, rate: 432 });
    expect(curve.sentence).toMatch(/^The knee is at about 90 % of the measured capacity \(432 req\/s\)/);
  });

  it('sets the simulation\u2019s knee beside the measured one', () => {
    const { capacity, open } = runs([6, 6.5, 7, 9, 13, 30, 200, 900]);
    const curve = curveResult(capacity, open, seeded(1));
    expect(curve.simulatedKnee).not.toBeNull();
    expect(curve.simulatedKnee?.share).toBeGreaterThan(0.25);
    expect(curve.sentence).toContain(
      `The simulation of the lab's queue has its knee at ${Math.round((curve.simulatedKnee?.share ?? 0) * 100)} %.`,
    );
  });

  it('simulates nothing when other work left the replicas no core', () => {
    const { capacity, open } = runs([6, 6.5, 7, 9, 13, 30, 200, 900]);
    const busy = { ...capacity, model: { ...capacity.model, effectiveCores: -0.2 } };
    const curve = curveResult(busy, open, seeded(1));
    expect(curve.steps.map((step) => step.simulated)).toEqual(open.map(() => ({ p50: 0, p99: 0, mean: 0 })));
  });

  it('says so when p99 never doubles', () => {
    const { capacity, open } = runs([6, 6, 6, 6, 6, 6, 6, 6]);
    const curve = curveResult(capacity, open, seeded(1));
    expect(curve.knee).toBeNull();
    expect(curve.sentence).toMatch(/^No knee up to 110 % of capacity/);
  });

  it('sets the theory beside each load: the simulation rises with the load, M/D/c ends at capacity', () => {
    const { capacity, open } = runs([6, 6.5, 7, 9, 13, 30, 200, 900]);
    const { steps } = curveResult(capacity, open, seeded(1));
    expect(steps[0]?.simulated.p50).toBeGreaterThanOrEqual(4);
    expect(steps[5]?.simulated.p99).toBeGreaterThan(steps[0]?.simulated.p99 ?? Infinity);
    // 2 servers of 4 ms: 500 req/s. 480 is below it, 528 past it.
    expect(steps[6]?.mdcMeanMs).not.toBeNull();
    expect(steps[7]?.mdcMeanMs).toBeNull();
    expect(steps.map((step) => step.late)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });
});

describe('the curve reports', () => {
  const { capacity, open } = runs([6, 6.5, 7, 9, 13, 30, 200, 900]);
  const curve = curveResult(capacity, open, seeded(1));

  it('prints a row per offered load and the sentence', () => {
    const text = renderCurveText(curve);
    expect(text).toMatch(/load\s+offered\s+answered\s+p50\s+p99\s+p99 from send/);
    for (const rate of curveRates(480)) expect(text).toContain(`${rate}.0 req/s`);
    expect(text).toContain('The knee is at about 80 %');
  });

  it('draws the curve as inline SVG, with nothing loaded from elsewhere', () => {
    const html = renderCurveHtml(curve);
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html.match(/<polyline /g)).toHaveLength(4);
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|@import|url\(/i);
  });
});
