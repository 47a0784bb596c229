import { describe, expect, it } from 'vitest';
import {
  describeLoad,
  p99BySweepChart,
  renderSweepHtml,
  renderSweepText,
  throughputBySweepChart,
} from '../../src/report/sweep-page.js';
import { CHART_SCRIPT, type Columns, chartSpecs } from '../../src/report/uplot-charts.js';
import { sweepResult } from '../../src/sweep-result.js';
import { sweepRun } from '../fixture.js';

const count = (text: string, pattern: RegExp) => text.match(pattern)?.length ?? 0;

// Three runs on the fixture's 1.69 cores left: the third replica adds nothing but latency.
const sweep = sweepResult([
  sweepRun({ replicas: 1, throughputRps: 180, p99Ms: 60 }),
  sweepRun({ replicas: 2, throughputRps: 320, p99Ms: 62 }),
  sweepRun({ replicas: 3, throughputRps: 330, p99Ms: 104 }),
]);
const SENTENCE =
  'Throughput grows with replicas up to 2 (the cores left for the replicas: 1.69); more replicas add no capacity and raise p99 latency.';

describe('describeLoad', () => {
  it.each<[Partial<typeof sweep.options>, string]>([
    [{}, 'closed loop, 20 connections, 10 s per run after a 1 s warm-up'],
    [
      { rate: 300, connections: 1 },
      'open loop at 300.0 req/s, 1 connection, 10 s per run after a 1 s warm-up',
    ],
    [
      { amount: 5000, pipelining: 4 },
      'closed loop, 20 connections x 4 pipelined, 5000 requests per run after a 1 s warm-up',
    ],
  ])('%j', (change, line) => {
    expect(describeLoad({ ...sweep.options, ...change })).toBe(line);
  });
});

describe('renderSweepText', () => {
  const text = renderSweepText(sweep);

  it('is a heading, a compact table with a row per run, and the sentence', () => {
    expect(text).toBe(
      [
        'sweep  http://nginx:8080/  3 runs  2026-11-26T16:30:00.000Z',
        ' closed loop, 20 connections, 10 s per run after a 1 s warm-up',
        '',
        ' replicas  throughput   speed-up  capacity     ratio  cores left  p50    p99     errors  limit',
        ' 1         180.0 req/s  1.00x     192.3 req/s  0.94x  1.69        55 ms  60 ms   12      replicas',
        ' 2         320.0 req/s  1.78x     325.0 req/s  0.98x  1.69        55 ms  62 ms   12      cores',
        ' 3         330.0 req/s  1.83x     325.0 req/s  1.01x  1.69        55 ms  104 ms  12      cores',
        ' speed-up: throughput / the 1-replica run; ratio: throughput / capacity',
        '',
        'Throughput grows with replicas up to 2 (the cores left for the replicas: 1.69); more replicas add no',
        'capacity and raise p99 latency.',
        '',
      ].join('\n'),
    );
  });

  it('shows "-" where there is nothing to show, and warns when the runs differ', () => {
    const [two, three] = [
      sweepRun({ replicas: 2, throughputRps: 320 }),
      sweepRun({ replicas: 3, throughputRps: 330 }),
    ];
    const odd = renderSweepText(
      sweepResult([
        { ...two, model: { ...two.model, capacityRps: null, throughputRatio: null } },
        { ...three, options: { ...three.options, connections: 40 } },
      ]),
    );
    expect(odd).toContain(' 2         320.0 req/s  -         -            -      1.69');
    expect(odd).toContain(
      "Note: The runs differ in --connections: their numbers do not compare; these are the first run's.",
    );
  });
});

describe('renderSweepHtml', () => {
  const html = renderSweepHtml(sweep);

  it('is a whole page with a title, for any screen width', () => {
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(html).toContain('<meta name="viewport" content="width=device-width,initial-scale=1">');
    expect(html).toContain('<title>Scaling nginx&#58;8080 from 1 to 3 replicas</title>');
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    // the table scrolls inside its card on a narrow screen instead of widening the page
    expect(html).toContain('<div class="scroll"><table class="figures">');
    expect(html).toContain('.scroll{overflow-x:auto}');
  });

  it('needs nothing from the network: no address, stylesheet link, import or url(), one script of its own', () => {
    expect(count(html, /<script>/g)).toBe(1);
    expect(html).toContain(`<script>${CHART_SCRIPT.text}</script>`);
    expect(html).toContain(`script-src ${CHART_SCRIPT.hash};`);
    const rest = html.replace(CHART_SCRIPT.text, '');
    expect(rest).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/<link/i);
    expect(html).not.toMatch(/<img|<iframe|<object|<embed/i);
    expect(html).not.toMatch(/@import/i);
    expect(html).not.toMatch(/url\(/i);
    expect(rest).not.toMatch(/\b(src|href|xlink:href|action)=/i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'`);
  });

  it('says where scaling stops', () => {
    expect(html).toContain(
      `<strong>Where scaling stops.</strong> ${SENTENCE.replace(/:/g, '&#58;')}</p></div>`,
    );
    expect(html).toContain(
      '<span>Scaling stops</span><strong>after 2</strong><small>the cores left are full</small>',
    );
    expect(html).toContain(
      '<span>Best throughput</span><strong>330.0 req/s</strong><small>at 3 replicas</small>',
    );
  });

  it('charts throughput beside capacity, and p99, with each run under its column', () => {
    expect(html).toContain('<h2>Throughput against replicas</h2>');
    expect(html).toContain('<div class="axis-top">answers per second, peak 330</div>');
    expect(html).toContain(
      '<div class="ticks" style="grid-template-columns:repeat(3,minmax(0,1fr))"><span><b>1</b>180 req/s</span><span><b>2</b>320 req/s</span><span><b>3</b>330 req/s</span></div>',
    );
    expect(html).toContain('<li><i style="background:var(--muted)"></i>model capacity</li>');
    expect(html).toContain('<h2>p99 latency against replicas</h2>');
    expect(html).toContain('<span><b>3</b>104 ms</span>');
  });

  it('has a table row per run, and the options of the runs', () => {
    expect(html).toContain(
      '<tr><td>2 replicas</td><td>2</td><td>320.0 req/s</td><td>1.78x</td><td>325.0 req/s</td><td>0.98x</td><td>1.69</td><td>55 ms</td><td>62 ms</td><td>12</td><td>cores</td></tr>',
    );
    expect(html).toContain('<dt>--connections</dt><dd>20</dd>');
    expect(html).not.toContain('<dt>--label</dt>');
  });

  it('escapes what the runs bring in: labels', () => {
    const run = sweepRun({ replicas: 1, throughputRps: 100 });
    const hostile = renderSweepHtml(
      sweepResult([{ ...run, options: { ...run.options, label: '<script>alert(1)</script>' } }]),
    );
    expect(count(hostile, /<script>/g)).toBe(1);
    expect(hostile).not.toContain('<script>alert(1)');
    expect(hostile).toContain('<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>');
  });
});

describe('sweep charts', () => {
  const columns = (box: string): Columns[] => {
    const [found] = chartSpecs(box);
    if (!found || !('columns' in found)) throw new Error('no column chart');
    return found.columns;
  };

  it('draws measured and capacity side by side, scaled to the largest of both', () => {
    const box = throughputBySweepChart(sweep.rows);
    expect(chartSpecs(box)[0]).toMatchObject({ xMax: 3, yMax: 330 });
    const [measured, capacity] = columns(box);
    expect([measured?.colour, measured?.width, capacity?.colour, capacity?.width]).toEqual([
      'var(--accent)',
      0.34,
      'var(--muted)',
      0.34,
    ]);
    // 1 replica: 180 of the peak 330 measured, capacity 192.31 beside it; the peak column reaches the top
    expect([measured?.x[0], measured?.y0[0], measured?.y1[0]]).toEqual([0.14, 0, 180]);
    expect([capacity?.x[0], capacity?.y1[0]]).toEqual([0.52, 192.31]);
    expect([measured?.x[2], measured?.y1[2]]).toEqual([2.14, 330]);
  });

  it('leaves out the capacity of a run the model had nothing for', () => {
    const [row] = sweep.rows;
    if (!row) throw new Error('no row');
    const [measured, capacity] = columns(
      throughputBySweepChart([{ ...row, model: { ...row.model, capacityRps: null } }]),
    );
    expect([measured?.x.length, capacity?.x.length]).toEqual([1, 0]);
  });

  it('draws a p99 column per run', () => {
    const box = p99BySweepChart(sweep.rows);
    const [p99] = columns(box);
    expect(p99?.x).toEqual([0.2, 1.2, 2.2]);
    expect(p99?.width).toBe(0.6);
    expect(chartSpecs(box)[0]?.yMax).toBe(104);
    expect(box).toContain('aria-label="p99 latency by replicas, peak 104 ms"');
  });
});
