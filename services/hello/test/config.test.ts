import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '@hello-lab/shared/options';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  it('uses the documented defaults for an empty environment', () => {
    expect(loadConfig({})).toEqual({
      PORT: 8080,
      OPERATOR_PORT: 8081,
      HOST: '0.0.0.0',
      APP_VERSION: '1',
      NODE_NAME: '',
      WORK_ITERATIONS: 10_000_000,
      LOG_LEVEL: 'info',
      KEEP_ALIVE_TIMEOUT_MS: 65_000,
      SHUTDOWN_DELAY_MS: 0,
      SHUTDOWN_TIMEOUT_MS: 8000,
      DRAIN: 'on',
      QUEUE_MAX_WAIT_MS: 9000,
      greeting: 'Hello',
    });
  });

  it.each([
    [{ PORT: '9000' }, { PORT: 9000 }],
    // A replica on a PORT of its own takes any free operator port: several share a host then.
    [{ PORT: '9000' }, { OPERATOR_PORT: 0 }],
    [
      { PORT: '9000', OPERATOR_PORT: '9001' },
      { PORT: 9000, OPERATOR_PORT: 9001 },
    ],
    [{ OPERATOR_PORT: '0' }, { PORT: 8080, OPERATOR_PORT: 0 }],
    [{ WORK_ITERATIONS: '0' }, { WORK_ITERATIONS: 0 }],
    [{ WORK_ITERATIONS: '10000000000' }, { WORK_ITERATIONS: 1e10 }],
    [{ APP_VERSION: '2.1-rc_1' }, { APP_VERSION: '2.1-rc_1' }],
    [{ HOST: '::' }, { HOST: '::' }],
    [{ NODE_NAME: 'hello-lab-node-2' }, { NODE_NAME: 'hello-lab-node-2' }],
    [{ LOG_LEVEL: 'debug' }, { LOG_LEVEL: 'debug' }],
    [{ DRAIN: 'off' }, { DRAIN: 'off' }],
    [{ QUEUE_MAX_WAIT_MS: '0' }, { QUEUE_MAX_WAIT_MS: 0 }],
    // compose passes ${VAR:-} as an empty string: that means "unset"
    [{ WORK_ITERATIONS: '' }, { WORK_ITERATIONS: 10_000_000 }],
  ])('reads %o', (env, expected) => {
    expect(loadConfig(env)).toMatchObject(expected);
  });

  it.each([
    [
      { QUEUE_MAX_WAIT_MS: '60001' },
      'QUEUE_MAX_WAIT_MS="60001" is not allowed: expected a whole number from 0 to 60000',
    ],
    [
      { WORK_ITERATIONS: 'abc' },
      'WORK_ITERATIONS="abc" is not allowed: expected a whole number from 0 to 10000000000',
    ],
    [
      { WORK_ITERATIONS: '-5' },
      'WORK_ITERATIONS="-5" is not allowed: expected a whole number from 0 to 10000000000',
    ],
    [
      { WORK_ITERATIONS: '1.5' },
      'WORK_ITERATIONS="1.5" is not allowed: expected a whole number from 0 to 10000000000',
    ],
    [
      { WORK_ITERATIONS: '10000000001' },
      'WORK_ITERATIONS="10000000001" is not allowed: expected a whole number from 0 to 10000000000',
    ],
    [{ PORT: '70000' }, 'PORT="70000" is not allowed: expected a whole number from 1 to 65535'],
    [{ PORT: '0' }, 'PORT="0" is not allowed: expected a whole number from 1 to 65535'],
    [{ OPERATOR_PORT: 'x' }, 'OPERATOR_PORT="x" is not allowed: expected a whole number from 0 to 65535'],
    [
      { OPERATOR_PORT: '8080' },
      'OPERATOR_PORT="8080" is not allowed: expected a whole number from 0 to 65535 (it is PORT too)',
    ],
    [
      { PORT: '9000', OPERATOR_PORT: '9000' },
      'OPERATOR_PORT="9000" is not allowed: expected a whole number from 0 to 65535 (it is PORT too)',
    ],
    [{ DRAIN: 'no' }, 'DRAIN="no" is not allowed: expected one of on, off'],
    [
      { LOG_LEVEL: 'loud' },
      'LOG_LEVEL="loud" is not allowed: expected one of fatal, error, warn, info, debug, trace, silent',
    ],
    [
      { APP_VERSION: 'v 2' },
      'APP_VERSION="v 2" is not allowed: expected 1 to 64 letters, digits, dots, dashes or underscores, starting with a letter or digit',
    ],
    [
      { NODE_NAME: 'node 2' },
      'NODE_NAME="node 2" is not allowed: expected a node name of 1 to 253 letters, digits, dots, dashes or underscores, starting with a letter or digit',
    ],
    [
      { SHUTDOWN_TIMEOUT_MS: '5s' },
      'SHUTDOWN_TIMEOUT_MS="5s" is not allowed: expected a whole number from 100 to 60000',
    ],
  ])('refuses %o with one line naming the variable, the value and what is allowed', (env, message) => {
    expect(() => loadConfig(env)).toThrowError(new UsageError(message));
    expect(message).not.toContain('\n');
  });

  describe('GREETING_FILE', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hello-greeting-'));
    const file = (name: string, content: string) => {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    };
    const allowed = 'expected a readable file that holds one word of 1 to 32 letters, such as Hello';

    it.each([
      ['Bonjour\n', 'Bonjour'],
      ['  Привет  ', 'Привет'],
    ])('reads the greeting from the file (%j)', (content, greeting) => {
      expect(loadConfig({ GREETING_FILE: file('ok', content) }).greeting).toBe(greeting);
    });

    it.each([
      ['two words', 'it holds something else'],
      ['', 'it holds something else'],
      ['Hello!', 'it holds something else'],
    ])('refuses a file holding %j', (content, reason) => {
      const path = file('bad', content);
      expect(() => loadConfig({ GREETING_FILE: path })).toThrowError(
        new UsageError(`GREETING_FILE=${JSON.stringify(path)} is not allowed: ${allowed} (${reason})`),
      );
    });

    it('refuses a file it cannot read, naming why', () => {
      const path = join(dir, 'missing');
      expect(() => loadConfig({ GREETING_FILE: path })).toThrowError(
        new UsageError(
          `GREETING_FILE=${JSON.stringify(path)} is not allowed: ${allowed} (it cannot be read: ENOENT)`,
        ),
      );
    });
  });
});
