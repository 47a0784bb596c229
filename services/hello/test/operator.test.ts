import { hostname } from 'node:os';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { buildOperatorApp } from '../src/operator.js';

type App = ReturnType<typeof buildApp>;
const opened: App[] = [];

/** The service and its operator routes, sharing one sick state as in server.ts. */
function makeApps(options: Parameters<typeof buildOperatorApp>[2] = {}) {
  const app = buildApp(loadConfig({ WORK_ITERATIONS: '1000', APP_VERSION: '7' }));
  const operator = buildOperatorApp(app.sick, app.identity, options);
  opened.push(app, operator);
  return { app, operator };
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((app) => app.close()));
});

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe('the operator routes', () => {
  it('GET /sick says who the replica is and that it is well', async () => {
    const { operator } = makeApps();
    const res = await operator.inject({ url: '/sick' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json()).toEqual({ hostname: hostname(), version: '7', sick: null, held: 0 });
  });

  it.each([
    ['a form body, as BusyBox wget --post-data sends it', 'POST', '/sick', FORM, 'mode=slow&factor=4'],
    ['the query', 'POST', '/sick?mode=slow&factor=4', {}, undefined],
    [
      'a PUT with a JSON body',
      'PUT',
      '/sick',
      { 'content-type': 'application/json' },
      '{"mode":"slow","factor":4}',
    ],
  ] as const)('changes the state from %s', async (_, method, url, headers, payload) => {
    const { app, operator } = makeApps();
    const res = await operator.inject({ method, url, headers, ...(payload ? { payload } : {}) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      hostname: hostname(),
      version: '7',
      sick: { mode: 'slow', factor: 4 },
      held: 0,
    });
    expect(app.sick.state).toEqual({ mode: 'slow', factor: 4 });
    expect((await operator.inject({ url: '/sick' })).json().sick).toEqual({ mode: 'slow', factor: 4 });
  });

  it('heals, and logs each change', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const log = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const { app, operator } = makeApps({ log });
    await operator.inject({ method: 'POST', url: '/sick', headers: FORM, payload: 'mode=fail' });
    expect(app.sick.state).toEqual({ mode: 'fail', share: 0.5 });
    const res = await operator.inject({ method: 'POST', url: '/sick', headers: FORM, payload: 'mode=heal' });
    expect(res.json().sick).toBeNull();
    expect(app.sick.state).toBeNull();
    expect(lines.map(({ msg, sick }) => ({ msg, sick }))).toEqual([
      { msg: 'made sick by the operator', sick: { mode: 'fail', share: 0.5 } },
      { msg: 'healed by the operator', sick: undefined },
    ]);
  });

  it('counts the requests a stall holds, and releases them at heal', async () => {
    const { app, operator } = makeApps();
    await operator.inject({ method: 'POST', url: '/sick?mode=stall' });
    const held = [app.inject({ url: '/' }), app.inject({ url: '/readyz' })];
    await vi.waitFor(async () =>
      expect((await operator.inject({ url: '/sick' })).json()).toMatchObject({
        sick: { mode: 'stall' },
        held: 2,
      }),
    );
    await operator.inject({ method: 'POST', url: '/sick?mode=heal' });
    expect((await Promise.all(held)).map((res) => res.statusCode)).toEqual([200, 200]);
  });

  it.each([
    ['mode=sleepy', 'mode="sleepy" is not allowed: expected one of slow, fail, unready, stall, heal'],
    ['mode=slow&factor=50', 'factor="50" is not allowed: expected a whole number from 2 to 20'],
    ['mode=fail&share=2', 'share="2" is not allowed: expected a number from 0.01 to 1'],
    ['', 'mode="" is not allowed: expected one of slow, fail, unready, stall, heal'],
  ])('refuses %j with 400 and one line, and leaves the state as it was', async (payload, message) => {
    const { app, operator } = makeApps();
    app.sick.set({ mode: 'unready' });
    const res = await operator.inject({ method: 'POST', url: '/sick', headers: FORM, payload });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ statusCode: 400, error: 'Bad Request', message });
    expect(app.sick.state).toEqual({ mode: 'unready' });
  });

  it.each(['DELETE', 'PATCH'] as const)('answers %s /sick with 405 and Allow', async (method) => {
    const res = await makeApps().operator.inject({ method, url: '/sick' });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD, PUT, POST');
  });

  it.each(['/', '/info', '/readyz'])('has nothing else: %s is 404', async (url) => {
    expect((await makeApps().operator.inject({ url })).statusCode).toBe(404);
  });
});

describe('the service itself', () => {
  it.each([
    ['GET', 404],
    ['POST', 404],
    ['PUT', 404],
  ] as const)('has no /sick: %s /sick is %d and changes nothing', async (method, status) => {
    const { app } = makeApps();
    const res = await app.inject({ method, url: '/sick?mode=stall', headers: FORM, payload: 'mode=stall' });
    expect(res.statusCode).toBe(status);
    expect(app.sick.state).toBeNull();
  });
});
