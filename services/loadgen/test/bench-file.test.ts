import { describe, expect, it } from 'vitest';
import { NotABenchResultError, parseBenchResult } from '../src/bench-file.js';
import { loadFixture } from './fixture.js';

describe('parseBenchResult', () => {
  const fixture = loadFixture();

  it('reads a loadgen JSON report as it is', () => {
    expect(parseBenchResult(JSON.stringify(fixture, null, 2))).toEqual(fixture);
  });

  it('reads the other work the model counted, and a report from before it counted any', () => {
    const counted = { ...fixture, model: { ...fixture.model, otherCores: 0.4 } };
    expect(parseBenchResult(JSON.stringify(counted)).model.otherCores).toBe(0.4);
    expect(parseBenchResult(JSON.stringify(fixture)).model.otherCores).toBeUndefined();
  });

  it.each<[string, string, string]>([
    ['not JSON', '<!doctype html>', 'not JSON'],
    ['an array', '[1, 2]', 'not a JSON object'],
    ['null', 'null', 'not a JSON object'],
    ['some other JSON', '{"name": "hello-lab"}', 'startedAt is missing'],
    [
      'a report without a throughput',
      JSON.stringify({ ...fixture, throughputRps: undefined }),
      'throughputRps is missing',
    ],
    [
      'a report with a text where a number goes',
      JSON.stringify({ ...fixture, latencyMs: { ...fixture.latencyMs, p99: '104' } }),
      'latencyMs.p99 is not a number',
    ],
    ['a report without a model', JSON.stringify({ ...fixture, model: null }), 'model.capacityRps is missing'],
    [
      'a report with a text for the other work',
      JSON.stringify({ ...fixture, model: { ...fixture.model, otherCores: '0.4' } }),
      'model.otherCores is not a number',
    ],
    [
      'a report with a start that is not a time',
      JSON.stringify({ ...fixture, startedAt: 'yesterday' }),
      'startedAt is not a time',
    ],
    [
      'a report with hostnames that are not counts',
      JSON.stringify({ ...fixture, hostnames: ['a', 'b'] }),
      'hostnames is not counts by hostname',
    ],
    [
      'a sweep report',
      JSON.stringify({ startedAt: fixture.startedAt, finishedAt: fixture.finishedAt, options: {}, rows: [] }),
      'options.url is missing',
    ],
  ])('refuses %s: %j', (_, text, message) => {
    expect(() => parseBenchResult(text)).toThrowError(new NotABenchResultError(message));
  });
});
