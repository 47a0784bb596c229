import { UsageError } from '@hello-lab/shared/options';
import { describe, expect, it } from 'vitest';
import { DEFAULTS, OPTION_SPECS } from '../../src/options.js';
import {
  parseStrategiesOptions,
  STRATEGY_CONNECTIONS,
  strategiesHelpText,
} from '../../src/strategies/options.js';
import { STRATEGIES, strategyUrl } from '../../src/strategies/strategies.js';

describe('parseStrategiesOptions', () => {
  it("takes the bench's options, with its own number of connections when none is given", () => {
    const { load, slowReplica } = parseStrategiesOptions([], { CONNECTIONS: '', DURATION: '3' });
    expect(load).toMatchObject({
      ...DEFAULTS,
      connections: STRATEGY_CONNECTIONS,
      duration: 3,
      cores: load.cores,
    });
    expect(slowReplica).toBeNull();
  });

  it.each([
    [[], { CONNECTIONS: '30' }, 30],
    [['--connections', '4'], { CONNECTIONS: '30' }, 4],
  ])('%j with %j: %i connections', (argv, env, connections) => {
    expect(parseStrategiesOptions(argv, env).load.connections).toBe(connections);
  });

  it('reads the slow replica and its factor from the environment', () => {
    expect(parseStrategiesOptions([], { SLOW_REPLICA: '3f1c0a9b2e47' }).slowReplica).toEqual({
      hostname: '3f1c0a9b2e47',
      factor: 2,
    });
    expect(parseStrategiesOptions([], { SLOW_REPLICA: 'a1', SLOW_FACTOR: '4' }).slowReplica).toEqual({
      hostname: 'a1',
      factor: 4,
    });
  });

  it.each([
    [
      [],
      { RATE: '100' },
      'RATE="100" is not allowed: expected no rate: the strategies are compared in a closed loop',
    ],
    [['--rate', '100'], {}, '--rate="100" is not allowed: expected no rate'],
    [
      [],
      { CONNECTIONS: '0' },
      `CONNECTIONS="0" is not allowed: expected ${OPTION_SPECS.connections.allowed}`,
    ],
    [[], { DURATION: 'soon' }, `DURATION="soon" is not allowed: expected ${OPTION_SPECS.duration.allowed}`],
    [[], { SLOW_REPLICA: 'two words' }, 'SLOW_REPLICA="two words" is not allowed'],
    [
      [],
      { SLOW_REPLICA: 'a1', SLOW_FACTOR: '1' },
      'SLOW_FACTOR="1" is not allowed: expected a whole number from 2 to 20',
    ],
    [
      [],
      { SLOW_FACTOR: '3' },
      'SLOW_FACTOR="3" is not allowed: expected no SLOW_FACTOR without SLOW_REPLICA',
    ],
  ])('%j with %j: refused', (argv, env, message) => {
    expect(() => parseStrategiesOptions(argv, env)).toThrow(UsageError);
    expect(() => parseStrategiesOptions(argv, env)).toThrow(message);
  });
});

describe('the strategies', () => {
  it('each have a port of their own', () => {
    expect(new Set(STRATEGIES.map((strategy) => strategy.port)).size).toBe(STRATEGIES.length);
  });

  it.each([
    ['http://nginx:8080/', 8091, 'http://nginx:8091/'],
    ['http://nginx:8080/?run=x', 8095, 'http://nginx:8095/?run=x'],
    ['http://nginx/', 8092, 'http://nginx:8092/'],
  ])('%s on %i is %s', (url, port, expected) => {
    expect(strategyUrl(url, port)).toBe(expected);
  });

  it('are listed in the help with their ports, beside the load options', () => {
    const help = strategiesHelpText();
    for (const strategy of STRATEGIES) expect(help).toContain(`${strategy.port}  ${strategy.name}`);
    expect(help).toContain(`--connections defaults to ${STRATEGY_CONNECTIONS}`);
    expect(help).toContain('SLOW_REPLICA');
    expect(help).toContain('--duration');
  });
});
