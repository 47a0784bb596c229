import { escapeHtml } from '@hello-lab/shared/html';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/events.js';
import type { ReplicaFigures } from '../../src/replicas.js';
import { renderHtml } from '../../src/report/bench-page.js';
import { CHART_SCRIPT, chartSpecs } from '../../src/report/uplot-charts.js';
import { loadFixture, onNodes, workOnly } from '../fixture.js';

/** The card with this heading, from its <section> to its </section>. */
function card(html: string, heading: string): string {
  const start = html.indexOf(`<section class="card wide">\n<h2>${heading}</h2>`);
  if (start === -1) throw new Error(`no card "${heading}"`);
  return html.slice(start, html.indexOf('</section>', start));
}

const count = (text: string, pattern: RegExp) => text.match(pattern)?.length ?? 0;

const TIME_CHARTS = [
  'Throughput over time',
  'Versions over time',
  'Failed requests per second',
  'p99 latency per second',
];

describe('renderHtml', () => {
  const result = loadFixture();
  const html = renderHtml(result);

  it('is a whole page with a title', () => {
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(html).toContain('<meta name="viewport" content="width=device-width,initial-scale=1">');
    expect(html).toContain('<title>Rollout v1 to v2, 3 replicas&#58; 346.0 req/s, p99 104 ms</title>');
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
  });

  it('needs nothing from the network: no address, stylesheet link, import or url(), one script of its own', () => {
    // The one script is uPlot and the code that draws the charts, inline, allowed by its hash.
    expect(count(html, /<script>/g)).toBe(1);
    expect(html).toContain(`<script>${CHART_SCRIPT.text}</script>`);
    expect(html).toContain(`script-src ${CHART_SCRIPT.hash};`);
    expect(CHART_SCRIPT.text).not.toMatch(/\bfetch\(|XMLHttpRequest|WebSocket|EventSource|import\(/);
    // Everything else, the library's licence line included in the script: no address.
    const rest = html.replace(CHART_SCRIPT.text, '');
    expect(rest).not.toMatch(/https?:\/\//i);
    expect(rest).not.toMatch(/<script(?! type="application\/json" class="chart-spec">)(?!>)/i);
    expect(html).not.toMatch(/<link/i);
    expect(html).not.toMatch(/<img|<iframe|<object|<embed/i);
    expect(html).not.toMatch(/@import/i);
    expect(html).not.toMatch(/url\(/i);
    expect(rest).not.toMatch(/\b(src|href|xlink:href|action)=/i);
    // and the browser is told to load nothing even if something slipped in
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'`);
  });

  it('shows the target address as text', () => {
    expect(html).toContain('<code>http&#58;//nginx&#58;8080/</code>');
  });

  it('has a bar per hostname with its count and share', () => {
    for (const [name, count, share] of [
      ['4f1c2a9b7d3e', 1153, '33.3%'],
      ['9a0b8c7d6e5f', 1151, '33.3%'],
      ['c3d2e1f0a9b8', 1146, '33.1%'],
      ['(none)', 10, '0.3%'],
    ] as const) {
      expect(html).toMatch(
        new RegExp(
          `<span class="name">${name.replace(/[()]/g, '\\$&')}</span><span class="value">${count} · ${share}</span><svg class="bar"`,
        ),
      );
    }
    // the bar's length is the share of all answers: 1153 / 3460
    expect(html).toContain('<rect width="33.324" height="10" rx="2" style="fill:hsl(');
  });

  it('has the versions, the latency percentiles and the timeline', () => {
    expect(html).toContain('<span class="name">v1</span><span class="value">1896 · 54.8%</span>');
    expect(html).toContain('<span class="name">v2</span><span class="value">1554 · 44.9%</span>');
    for (const [label, value] of [
      ['p50', '55 ms'],
      ['p90', '71 ms'],
      ['p99', '104 ms'],
      ['max', '231 ms'],
    ]) {
      expect(html).toContain(`<span class="name">${label}</span><span class="value">${value}</span>`);
    }
    expect(html).toContain('<h2>Throughput over time</h2>');
    expect(html).toContain('requests per second, peak 352');
    expect(html).toContain('<h2>p99 latency per second</h2>');
  });

  it('says how many requests failed, of how many', () => {
    expect(html).toContain(
      '<span>Failed</span><strong>12</strong><small>of 3462 requests (0.35%)&#58; 10 non-2xx, 2 errors, 1 timeout</small>',
    );
  });

  it.each(TIME_CHARTS)('marks each event on the chart "%s": a line and a numbered flag', (heading) => {
    const chart = card(html, heading);
    expect(count(chart, /<line class="event-line"/g)).toBe(result.events.length);
    const flags = [
      ...chart.matchAll(/<li style="left:([\d.]+)%;top:(\d+)px;background:[^"]+" title="[^"]*">(\d+)<\/li>/g),
    ];
    expect(flags.map((flag) => flag[3])).toEqual(['1', '2', '3', '4', '5']);
    // at the event's time: 2.95 s of a 10 s chart, and so on
    expect(flags.map((flag) => Number(flag[1]))).toEqual([29.5, 42.1, 43.8, 56, 80.5]);
    expect(chart).toContain('<line class="event-line" x1="2.95" x2="2.95" y1="0" y2="100"');
    // the kill (+4.21 s) and the rollout step (+4.38 s) are too close for one row of flags
    expect(flags.map((flag) => flag[2])).toEqual(['0', '0', '20', '0', '0']);
  });

  it('lists the events below the throughput, numbered as their flags, their text escaped', () => {
    const events = card(html, 'Events');
    expect(count(events, /<li>/g)).toBe(5);
    expect(events).toContain(
      '<li><span class="flag" style="background:#e11d48">2</span><span class="at">+4.2 s</span><span class="kind">kill</span><span class="detail">hello-lab-hello-2 (SIGKILL)</span><time>2026-11-26T16&#58;30&#58;04.210Z</time></li>',
    );
    expect(events).toContain('<span class="detail">v1 -&gt; v2, 3 replicas, one at a time</span>');
    expect(events).toContain('<span class="detail">hello-lab-hello-1 on v2 &amp; ready</span>');
    expect(events).toContain('<span class="detail">hello-lab-hello-2 &lt;healthy&gt;</span>');
    expect(html).not.toContain('<healthy>');
    expect(html).toContain('title="+5.6 s recovered hello-lab-hello-2 &lt;healthy&gt;"');
    expect(html.indexOf('<h2>Events</h2>')).toBeGreaterThan(html.indexOf('<h2>Throughput over time</h2>'));
  });

  it('escapes what an events file brings in, in the list and in the flags', () => {
    const events: RunEvent[] = [
      { time: result.startedAt, atSeconds: 1, kind: '"><script>', detail: '<img src=x onerror=alert(1)>' },
    ];
    const hostile = renderHtml({ ...result, events });
    // No script or image of its own: the page's script tags are its charts' and the library's.
    expect(count(hostile, /<script/g)).toBe(count(html, /<script/g));
    expect(hostile).not.toMatch(/<img/);
    expect(hostile).toContain('title="+1.0 s &quot;&gt;&lt;script&gt; &lt;img src=x onerror=alert(1)&gt;"');
    expect(hostile).toContain('<span class="kind">&quot;&gt;&lt;script&gt;</span>');
  });

  it('leaves out the flags, lines and list for a run without events', () => {
    const quiet = renderHtml({ ...result, events: [] });
    expect(quiet).not.toContain('class="event-line"');
    expect(quiet).not.toContain('class="event-flags"');
    expect(quiet).not.toContain('<h2>Events</h2>');
    for (const heading of TIME_CHARTS) expect(quiet).toContain(`<h2>${heading}</h2>`);
  });

  it('draws the versions over time, one series per version, and the failed requests per second', () => {
    const [versions] = chartSpecs(card(html, 'Versions over time'));
    expect(versions && 'columns' in versions && versions.columns.map((c) => c.name)).toEqual([
      'v1',
      'v2',
      '(none)',
    ]);
    expect(card(html, 'Failed requests per second')).toContain('failed requests per second, peak 8');
    const none = renderHtml({
      ...result,
      requests: { ...result.requests, non2xx: 0, errors: 0, timeouts: 0 },
    });
    expect(card(none, 'Failed requests per second')).toContain('no request failed');
  });

  it('draws the answers by node over time and in all on a cluster, and nothing of nodes on one machine', () => {
    const cluster = renderHtml(onNodes(result));
    const nodes = card(cluster, 'Nodes over time');
    const [chart] = chartSpecs(nodes);
    expect(chart && 'columns' in chart && chart.columns.map((c) => c.name)).toEqual([
      'node-1',
      'node-2',
      '(none)',
    ]);
    expect(nodes).toContain('<h3>Answers per node</h3>');
    expect(nodes).toContain('2304');
    expect(html).not.toContain('Nodes over time');
    expect(html).not.toContain('Answers per node');
  });

  it('draws each chart over time from its data in the page, over the measured window', () => {
    const specs = TIME_CHARTS.map((heading) => chartSpecs(card(html, heading)));
    expect(specs.map((found) => found.length)).toEqual([1, 1, 1, 1]);
    expect(specs.flat().map((spec) => spec.xMax)).toEqual([10, 10, 10, 10]);
    expect(count(html, /<div class="plot" role="img" aria-label="/g)).toBe(4);
  });

  it('widens the charts to an event after the last answer', () => {
    const late = { time: result.finishedAt, atSeconds: 12.5, kind: 'rollout-done', detail: '' };
    const widened = renderHtml({ ...result, events: [late] });
    expect(chartSpecs(card(widened, 'p99 latency per second'))[0]?.xMax).toBe(12.5);
    expect(card(widened, 'p99 latency per second')).toContain('<span>12.5 s</span>');
  });

  it('shows the options used and the model with its sentence', () => {
    expect(html).toContain('<dt>--connections</dt><dd>20</dd>');
    expect(html).toContain('<dt>--rate</dt><dd>none</dd>');
    expect(html).toContain('<dt>--reports</dt><dd>/reports</dd>');
    // the events file in use, not "none"
    expect(html).toContain('<dt>--events</dt><dd>/reports/events.jsonl</dd>');
    expect(html).toContain('<dd>325.0 req/s, measured 346.0 req/s (1.06x)</dd>');
    expect(html).toContain('<dd>61.5 ms, measured mean 57.8 ms (0.94x)</dd>');
    expect(html).toContain(`<strong>What limits this run.</strong> ${escapeHtml(result.model.explanation)}`);
  });

  it('takes the other work on the machine out of the cores, when there was any', () => {
    expect(html).toContain('<dt>cores left C_eff</dt><dd>2 - 0.21 load generator - 0.1 proxy = 1.69</dd>');
    const busy = renderHtml({ ...result, model: { ...result.model, otherCores: 0.4, effectiveCores: 1.29 } });
    expect(busy).toContain(
      '<dt>cores left C_eff</dt><dd>2 - 0.21 load generator - 0.1 proxy - 0.40 other work = 1.29</dd>',
    );
  });

  it('says what the service time S is: CPU time, with the wall time beside it', () => {
    expect(html).toContain(
      '<dt>service time S</dt><dd>5.20 ms of CPU per answer (Server-Timing cpu, 3450 answers); wall 7.90 ms</dd>',
    );
    expect(html).toContain('<small>service time 5.20 ms of CPU</small>');
    expect(html).not.toContain('More replicas than free cores');
  });

  it('says when S is wall time, and warns when the replicas outnumber the cores', () => {
    const variant = workOnly(result);
    const wallOnly = renderHtml(variant);
    expect(wallOnly).toContain(
      '<dt>service time S</dt><dd>7.90 ms of wall time per answer (Server-Timing work, 3450 answers; no cpu)</dd>',
    );
    expect(wallOnly).toContain('<small>service time 7.90 ms of wall time</small>');
    expect(wallOnly).toContain(`<p>${escapeHtml(variant.model.caveat ?? 'a caveat')}</p>`);
  });

  it('has a table per replica, the highest p99 and any non-2xx in bold', () => {
    const table = card(html, 'Per replica');
    expect(table).toContain(
      '<thead><tr><th scope="col">replica</th><th scope="col">answers</th><th scope="col">share</th><th scope="col">p50</th><th scope="col">p99</th><th scope="col">max</th><th scope="col">non-2xx</th><th scope="col">by status</th></tr></thead>',
    );
    expect(count(table, /<tr><td>/g)).toBe(4);
    expect(table).toContain(
      '<tr><td>4f1c2a9b7d3e</td><td>1153</td><td>33.3%</td><td>54.2 ms</td><td>98.3 ms</td><td>180.1 ms</td><td>0</td><td></td></tr>',
    );
    // the slowest replica's p99, and the proxy's own 502s
    expect(table).toContain(
      '<tr><td>c3d2e1f0a9b8</td><td>1146</td><td>33.1%</td><td>56.3 ms</td><td><strong>121.7 ms</strong></td><td>231.0 ms</td><td>0</td><td></td></tr>',
    );
    expect(table).toContain('<td><strong>10</strong></td><td>502&#58; 10</td></tr>');
    expect(count(table, /<strong>/g)).toBe(2);
    // it scrolls inside its card on a narrow screen instead of widening the page
    expect(table).toContain('<div class="scroll"><table class="figures">');
  });

  it("adds an open loop's latency from the send per replica, and has no table without answers", () => {
    const open = renderHtml({
      ...result,
      loop: 'open',
      openLoop: {
        arrivals: 'poisson',
        rate: 350,
        scheduled: 3462,
        late: 0,
        maxLagMs: 0,
        sentLatencyMs: result.latencyMs,
      },
      replicas: result.replicas.map((replica) => ({
        ...replica,
        sentLatencyMs: { p50: 4.5, p99: 9, max: 12 },
      })),
    });
    const table = card(open, 'Per replica');
    expect(table).toContain(
      '<th scope="col">max</th><th scope="col">sent p50</th><th scope="col">sent p99</th>',
    );
    expect(table).toContain('<td>231.0 ms</td><td>4.50 ms</td><td>9 ms</td><td>0</td>');
    expect(table).toContain('from each request&#39;s intended start; sent&#58; from its actual send');
    expect(renderHtml({ ...result, replicas: [] })).not.toContain('<h2>Per replica</h2>');
  });

  it('escapes what the run brings in: labels and hostnames', () => {
    const [first, ...rest] = result.replicas;
    const hostile = renderHtml({
      ...result,
      options: { ...result.options, label: '<script>alert(1)</script>' },
      hostnames: { '<img src=x>': 1 },
      replicas: [{ ...(first as ReplicaFigures), hostname: '<img src=y>' }, ...rest],
    });
    // The page's one script is its chart script; nothing of the run's becomes a tag.
    expect(count(hostile, /<script>/g)).toBe(1);
    expect(hostile).not.toContain('<script>alert(1)');
    expect(hostile).not.toContain('<img');
    expect(hostile).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});
