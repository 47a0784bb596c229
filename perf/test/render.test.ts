import { describe, expect, it } from 'vitest';
import { buildReport } from '../src/figures.js';
import { formatMethod, formatValue, renderMarkdown } from '../src/render.js';
import { MEASUREMENTS } from './fixture.js';

describe('formatValue', () => {
  it.each<[number, string, string]>([
    [12345.6, 'req/s', '12,346'],
    [0.0804, 'ms', '0.080'],
    [7.06, 's', '7.1'],
    [0.95234, '', '0.952'],
    [Number.NaN, 'ms', 'n/a'],
  ])('%d %s -> %s', (value, unit, text) => {
    expect(formatValue(value, unit)).toBe(text);
  });
});

describe('formatMethod', () => {
  it.each([
    [
      { tool: 'wrk', target: 'loopback', durationSeconds: 10, connections: 50, repetitions: 3 },
      'wrk; loopback; 10 s \u00d7 3, 50 connections',
    ],
    [
      {
        tool: 'loadgen',
        target: 'nginx',
        durationSeconds: null,
        connections: 1,
        repetitions: 3,
        requests: 10_000,
      },
      'loadgen; nginx; 10,000 requests \u00d7 3, 1 connection',
    ],
    [
      {
        tool: 'docker compose up',
        target: 'the lab',
        durationSeconds: null,
        connections: null,
        repetitions: 3,
      },
      'docker compose up; the lab; \u00d7 3',
    ],
  ])('%j', (method, text) => {
    expect(formatMethod(method)).toBe(text);
  });
});

describe('renderMarkdown', () => {
  const report = buildReport(MEASUREMENTS, new Date('2026-11-26T18:10:00Z'));
  const markdown = renderMarkdown(report);
  const rows = markdown.split('\n').filter((line) => /^\| \d+ /.test(line));

  it('has a table with one row per figure, median, min and max and how each was measured', () => {
    expect(markdown).toMatch(/^\| # \| Figure \| Median \| Min \| Max \| Target \|/m);
    expect(rows).toHaveLength(report.figures.length);
    expect(markdown).toContain(
      '| 7 | Start-up: docker compose up --wait, 3 replicas healthy (images built) | 7.1 s | 6.9 | 7.4 | < 15 s | met |',
    );
  });

  it('marks a missed target and counts them', () => {
    const slower = MEASUREMENTS.seedWrk.map((run) => ({
      ...run,
      hello: {
        ...run.hello,
        rps: run.seed.rps * 0.8,
        requestsPerCpuSecond: run.seed.requestsPerCpuSecond * 0.8,
      },
    }));
    const missed = renderMarkdown(
      buildReport({ ...MEASUREMENTS, seedWrk: slower }, new Date('2026-11-26T18:10:00Z')),
    );
    expect(missed).toMatch(
      /\| hello \/ seed, requests\/s, under wrk \| 0\.800 \| [^|]+ \| [^|]+ \| \u2265 0\.9 \| \*\*missed\*\* \|/,
    );
    expect(missed).toContain('missed (wrk-hello-seed-rps-ratio, wrk-hello-seed-cpu-ratio)');
  });

  it('lists the notes on what limited each bench', () => {
    for (const note of report.notes) expect(markdown).toContain(`- ${note}`);
  });

  it('escapes pipes inside cells', () => {
    const piped = renderMarkdown({
      ...report,
      figures: [{ ...report.figures[0], name: 'a | b' } as (typeof report.figures)[0]],
    });
    expect(piped).toContain('a \\| b');
  });
});
