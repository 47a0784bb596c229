import { describe, expect, it } from 'vitest';
import { loadgenArgs } from '../src/tools/loadgen-args.js';

describe('loadgenArgs', () => {
  it('writes each given setting as a flag and its value, and leaves out what is not given', () => {
    expect(
      loadgenArgs({ url: 'http://nginx:8080/', connections: 10, duration: 5, warmup: 1, cores: 2 }),
    ).toEqual([
      '--url',
      'http://nginx:8080/',
      '--connections',
      '10',
      '--duration',
      '5',
      '--warmup',
      '1',
      '--cores',
      '2',
    ]);
    expect(loadgenArgs({ url: 'http://nginx:8080/', connections: 10, amount: 10_000, warmup: 0 })).toEqual([
      '--url',
      'http://nginx:8080/',
      '--connections',
      '10',
      '--amount',
      '10000',
      '--warmup',
      '0',
    ]);
  });
});
