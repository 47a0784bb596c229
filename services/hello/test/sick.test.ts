import { hostname } from 'node:os';
import { UsageError } from '@hello-lab/shared/options';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { MADE_TO_FAIL, MAX_HELD, parseSickChange, Sickness, type SickState } from '../src/sick.js';
import { lastSpinResult } from '../src/work.js';

const apps: ReturnType<typeof buildApp>[] = [];

function makeApp(iterations = 1000) {
  const app = buildApp(loadConfig({ WORK_ITERATIONS: String(iterations) }));
  apps.push(app);
  return app;
}

afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

/** The XOR of 1 .. n, which the busy loop leaves behind after n iterations. */
const xorUpTo = (n: number) => [n, 1, n + 1, 0][n % 4];

/** Resolves once the stall holds `count` requests; the deadline fires only when something is broken. */
const holding = (app: ReturnType<typeof buildApp>, count: number) =>
  vi.waitFor(() => expect(app.sick.held).toBe(count), { timeout: 10_000, interval: 5 });

describe('parseSickChange', () => {
  it.each([
    [{ mode: 'slow' }, { mode: 'slow', factor: 2 }],
    [
      { mode: 'slow', factor: '20' },
      { mode: 'slow', factor: 20 },
    ],
    [{ mode: 'fail' }, { mode: 'fail', share: 0.5 }],
    [
      { mode: 'fail', share: '0.01' },
      { mode: 'fail', share: 0.01 },
    ],
    [
      { mode: 'fail', share: '1' },
      { mode: 'fail', share: 1 },
    ],
    [{ mode: 'unready' }, { mode: 'unready' }],
    [{ mode: 'stall' }, { mode: 'stall' }],
    [{ mode: 'heal' }, null],
    // An empty field counts as not given, as make passes FACTOR= when it is unset.
    [
      { mode: 'slow', factor: '' },
      { mode: 'slow', factor: 2 },
    ],
  ] as const)('reads %o', (fields, state) => {
    expect(parseSickChange(fields)).toEqual(state);
  });

  it.each([
    [{}, 'mode="" is not allowed: expected one of slow, fail, unready, stall, heal'],
    [{ mode: 'sleepy' }, 'mode="sleepy" is not allowed: expected one of slow, fail, unready, stall, heal'],
    [{ mode: 'slow', factor: '1' }, 'factor="1" is not allowed: expected a whole number from 2 to 20'],
    [{ mode: 'slow', factor: '21' }, 'factor="21" is not allowed: expected a whole number from 2 to 20'],
    [{ mode: 'slow', factor: '2.5' }, 'factor="2.5" is not allowed: expected a whole number from 2 to 20'],
    [{ mode: 'fail', share: '0' }, 'share="0" is not allowed: expected a number from 0.01 to 1'],
    [{ mode: 'fail', share: '1.5' }, 'share="1.5" is not allowed: expected a number from 0.01 to 1'],
    [{ mode: 'fail', share: '50%' }, 'share="50%" is not allowed: expected a number from 0.01 to 1'],
    [
      { mode: 'fail', factor: '3' },
      'factor="3" is not allowed: expected no factor with mode=fail (factor is for mode=slow)',
    ],
    [
      { mode: 'heal', share: '0.5' },
      'share="0.5" is not allowed: expected no share with mode=heal (share is for mode=fail)',
    ],
    [
      { mode: 'slow', speed: '2' },
      '"speed" is not a setting: expected mode, factor (with mode=slow) or share (with mode=fail)',
    ],
  ])('refuses %o with one line naming the field and what is allowed', (fields, message) => {
    expect(() => parseSickChange(fields)).toThrowError(new UsageError(message));
  });
});

describe('Sickness', () => {
  it.each([
    [0.5, [false, true, false, true, false, true]],
    [1, [true, true, true, true]],
    [0.25, [false, false, false, true, false, false, false, true]],
  ])('with share %d fails floor(n x share) of the first n answers, evenly', (share, fails) => {
    const sick = new Sickness();
    sick.set({ mode: 'fail', share });
    expect(fails.map(() => sick.failsNow())).toEqual(fails);
  });

  it('fails nothing unless made to fail, and counts afresh at each change', () => {
    const sick = new Sickness();
    expect([sick.failsNow(), sick.failsNow()]).toEqual([false, false]);
    sick.set({ mode: 'fail', share: 0.5 });
    sick.failsNow();
    sick.set({ mode: 'fail', share: 0.5 });
    expect([sick.failsNow(), sick.failsNow()]).toEqual([false, true]);
    sick.set(null);
    expect(sick.failsNow()).toBe(false);
  });

  it.each([
    [null, { factor: 1, unready: false, stalled: false }],
    [
      { mode: 'slow', factor: 5 },
      { factor: 5, unready: false, stalled: false },
    ],
    [
      { mode: 'fail', share: 0.5 },
      { factor: 1, unready: false, stalled: false },
    ],
    [{ mode: 'unready' }, { factor: 1, unready: true, stalled: false }],
    [{ mode: 'stall' }, { factor: 1, unready: false, stalled: true }],
  ] as [SickState | null, object][])('in %o has %o', (state, effects) => {
    const sick = new Sickness();
    sick.set(state);
    expect({ factor: sick.factor, unready: sick.unready, stalled: sick.stalled }).toEqual(effects);
  });
});

describe('a sick replica, as its clients see it', () => {
  it('slow: GET / runs the loop FACTOR times over, and /info says so', async () => {
    const app = makeApp(1000);
    await app.inject({ url: '/' });
    expect(lastSpinResult()).toBe(xorUpTo(1000));
    app.sick.set({ mode: 'slow', factor: 3 });
    const res = await app.inject({ url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(`Hello from ${hostname()} (v1)`);
    expect(lastSpinResult()).toBe(xorUpTo(3000));
    expect((await app.inject({ url: '/info' })).json()).toMatchObject({
      workIterations: 3000,
      sick: { mode: 'slow', factor: 3 },
    });
    app.sick.set(null);
    await app.inject({ url: '/' });
    expect(lastSpinResult()).toBe(xorUpTo(1000));
    expect((await app.inject({ url: '/info' })).json()).toMatchObject({ workIterations: 1000, sick: null });
  });

  it('fail: a share of GET / answers are 500 as JSON, still naming the replica; nothing else fails', async () => {
    const app = makeApp();
    app.sick.set({ mode: 'fail', share: 0.5 });
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await app.inject({ url: '/' }));
    expect(answers.map((res) => res.statusCode)).toEqual([200, 500, 200, 500]);
    const failed = answers[1];
    expect(failed?.json()).toEqual(MADE_TO_FAIL);
    expect(failed?.headers['x-hostname']).toBe(hostname());
    expect(failed?.headers['x-version']).toBe('1');
    for (const url of ['/healthz', '/readyz', '/info', '/metrics']) {
      expect((await app.inject({ url })).statusCode, url).toBe(200);
    }
    app.sick.set(null);
    for (let i = 0; i < 4; i++) expect((await app.inject({ url: '/' })).statusCode).toBe(200);
    const metrics = (await app.inject({ url: '/metrics' })).body;
    expect(metrics).toContain('http_requests_total{method="GET",route="/",status_code="500"} 2');
  });

  it('unready: /readyz answers 503 while GET / and /healthz still answer', async () => {
    const app = makeApp();
    app.sick.set({ mode: 'unready' });
    const ready = await app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toEqual({ status: 'unready' });
    expect((await app.inject({ url: '/' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
    app.sick.set(null);
    expect((await app.inject({ url: '/readyz' })).json()).toEqual({ status: 'ready' });
  });

  it('says its state in /info and in the hello_sick gauge of /metrics', async () => {
    const app = makeApp();
    const gauge = async () =>
      [...(await app.inject({ url: '/metrics' })).body.matchAll(/^hello_sick\{mode="(\w+)"\} (\d)$/gm)].map(
        ([, mode, value]) => `${mode}=${value}`,
      );
    expect(await gauge()).toEqual(['slow=0', 'fail=0', 'unready=0', 'stall=0']);
    expect((await app.inject({ url: '/info' })).json().sick).toBeNull();
    app.sick.set({ mode: 'fail', share: 0.25 });
    expect(await gauge()).toEqual(['slow=0', 'fail=1', 'unready=0', 'stall=0']);
    expect((await app.inject({ url: '/info' })).json().sick).toEqual({ mode: 'fail', share: 0.25 });
    app.sick.set({ mode: 'unready' });
    expect(await gauge()).toEqual(['slow=0', 'fail=0', 'unready=1', 'stall=0']);
  });
});

describe('stall', () => {
  it('holds every request, refusals included, until healed; then each is answered normally', async () => {
    const app = makeApp();
    app.sick.set({ mode: 'stall' });
    const settled: string[] = [];
    const requests = [
      { url: '/' },
      { url: '/healthz' },
      { url: '/readyz' },
      { url: '/info' },
      { url: '/metrics' },
      { url: '/nowhere' },
      { method: 'POST' as const, url: '/' },
    ].map((request) =>
      app.inject(request).then((res) => {
        settled.push(request.url);
        return res;
      }),
    );
    await holding(app, requests.length);
    expect(settled).toEqual([]);
    app.sick.set(null);
    const answers = await Promise.all(requests);
    expect(answers.map((res) => res.statusCode)).toEqual([200, 200, 200, 200, 200, 404, 405]);
    expect(answers[0]?.body).toBe(`Hello from ${hostname()} (v1)`);
    expect(app.sick.held).toBe(0);
  });

  it('leaving stall for another mode releases the held into that mode', async () => {
    const app = makeApp();
    app.sick.set({ mode: 'stall' });
    const held = app.inject({ url: '/readyz' });
    await holding(app, 1);
    app.sick.set({ mode: 'unready' });
    expect((await held).statusCode).toBe(503);
  });

  it(`holds at most ${MAX_HELD} requests: beyond that, the connection is dropped`, async () => {
    const app = makeApp();
    app.sick.set({ mode: 'stall' });
    const held = Array.from({ length: MAX_HELD }, () => app.inject({ url: '/healthz' }));
    await holding(app, MAX_HELD);
    await expect(app.inject({ url: '/healthz' })).rejects.toThrow(/destroyed/);
    expect(app.sick.held).toBe(MAX_HELD);
    app.sick.set(null);
    const answers = await Promise.all(held);
    expect(answers.every((res) => res.statusCode === 200)).toBe(true);
  });

  it('gives the place of a client that gave up to a new request', async () => {
    const app = makeApp();
    app.sick.set({ mode: 'stall' });
    const aborts = Array.from({ length: MAX_HELD }, () => new AbortController());
    const gaveUp = aborts.map(({ signal }) => app.inject({ url: '/healthz', signal }).catch(() => 'gave up'));
    await holding(app, MAX_HELD);
    aborts[0]?.abort();
    await holding(app, MAX_HELD - 1);
    const next = app.inject({ url: '/healthz' });
    await holding(app, MAX_HELD);
    for (const abort of aborts) abort.abort();
    expect(new Set(await Promise.all(gaveUp))).toEqual(new Set(['gave up']));
    app.sick.set(null);
    expect((await next).statusCode).toBe(200);
  });

  it('closing the app releases the held, so that the drain answers them', async () => {
    const app = makeApp();
    app.sick.set({ mode: 'stall' });
    const held = app.inject({ url: '/' });
    await holding(app, 1);
    await app.close();
    expect((await held).statusCode).toBe(200);
  });
});
