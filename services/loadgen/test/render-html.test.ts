import { describe, expect, it } from 'vitest';
import { escapeHtml, hostnameHue, p99Svg, renderHtml, throughputSvg } from '../src/render-html.js';
import { loadFixture, workOnly } from './fixture.js';

describe('renderHtml', () => {
  const result = loadFixture();
  const html = renderHtml(result);

  it('is a whole page with a title', () => {
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(html).toContain('<meta name="viewport" content="width=device-width,initial-scale=1">');
    expect(html).toContain('<title>Rollout v1 to v2, 3 replicas&#58; 346.0 req/s, p99 104 ms</title>');
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
  });

  it('needs nothing from the network: no address, script, stylesheet link, import or url()', () => {
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link/i);
    expect(html).not.toMatch(/<img|<iframe|<object|<embed/i);
    expect(html).not.toMatch(/@import/i);
    expect(html).not.toMatch(/url\(/i);
    expect(html).not.toMatch(/\b(src|href|xlink:href|action)=/i);
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
    expect(html).toContain('answers per second, peak 352');
    expect(html).toContain('<h2>p99 latency per second</h2>');
  });

  it('shows the options used and the model with its sentence', () => {
    expect(html).toContain('<dt>--connections</dt><dd>20</dd>');
    expect(html).toContain('<dt>--rate</dt><dd>none</dd>');
    expect(html).toContain('<dt>--reports</dt><dd>/reports</dd>');
    expect(html).toContain('<dd>325.0 req/s, measured 346.0 req/s (1.06x)</dd>');
    expect(html).toContain('<dd>61.5 ms, measured mean 57.8 ms (0.94x)</dd>');
    expect(html).toContain(`<strong>What limits this run.</strong> ${escapeHtml(result.model.explanation)}`);
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

  it('escapes what the run brings in: labels and hostnames', () => {
    const hostile = renderHtml({
      ...result,
      options: { ...result.options, label: '<script>alert(1)</script>' },
      hostnames: { '<img src=x>': 1 },
    });
    expect(hostile).not.toContain('<script>');
    expect(hostile).not.toContain('<img');
    expect(hostile).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});

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

describe('hostnameHue', () => {
  it("matches hello's page, so a replica has the same colour there and here", async () => {
    // The built hello service (the test setup builds every workspace).
    const page = '../../hello/dist/page.js';
    const hello = (await import(page)) as { hostnameHue: (name: string) => number };
    for (const name of ['4f1c2a9b7d3e', 'web-1', 'hello-lab-hello-3', 'ä']) {
      expect(hostnameHue(name)).toBe(hello.hostnameHue(name));
    }
  });
});
