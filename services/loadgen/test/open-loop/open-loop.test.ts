import { describe, expect, it } from 'vitest';
import {
  type Answer,
  type RequestTimes,
  runOpenLoop,
  type Transport,
} from '../../src/open-loop/open-loop.js';
import { OK, queueServer, VirtualClock } from './virtual.js';

function record() {
  const answers: RequestTimes[] = [];
  const failures: { times: RequestTimes; timedOut: boolean }[] = [];
  return {
    answers,
    failures,
    hooks: {
      onAnswer: (times: RequestTimes, _answer: Answer) => answers.push({ ...times }),
      onFailure: (times: RequestTimes, timedOut: boolean) => failures.push({ times: { ...times }, timedOut }),
    },
  };
}

describe('runOpenLoop', () => {
  it('sends on schedule while the server keeps up: nothing late, both latencies the service time', async () => {
    const clock = new VirtualClock();
    const { answers, hooks } = record();
    const plan = { arrivals: 'constant' as const, rate: 100, durationMs: 1000, amount: null };
    const summary = await clock.settle(runOpenLoop(plan, clock, queueServer(clock, 1, 4), hooks));
    expect(summary.scheduled).toBe(100);
    expect(summary.late).toBe(0);
    expect(summary.maxLagMs).toBe(0);
    expect(answers.map((t) => t.intendedMs)).toEqual(Array.from({ length: 100 }, (_, i) => i * 10));
    for (const t of answers) {
      expect(t.sentMs).toBe(t.intendedMs);
      expect(t.doneMs - t.intendedMs).toBe(4);
    }
    expect(summary.endMs).toBe(994);
  });

  it('keeps to its schedule when the server falls behind, and counts every late send', async () => {
    // One worker of 10 ms against a request every 5 ms: request i leaves at 10 i, meant for 5 i.
    const clock = new VirtualClock();
    const { answers, hooks } = record();
    const plan = { arrivals: 'constant' as const, rate: 200, durationMs: 1000, amount: null };
    const summary = await clock.settle(runOpenLoop(plan, clock, queueServer(clock, 1, 10), hooks));
    expect(summary.scheduled).toBe(200);
    expect(summary.late).toBe(199);
    expect(summary.maxLagMs).toBe(995);
    const last = answers.at(-1) as RequestTimes;
    expect(last.intendedMs).toBe(995);
    expect(last.sentMs).toBe(1990);
    // From the actual send the wait is invisible: 10 ms, as for the first; from the intended start it is not.
    expect(last.doneMs - last.sentMs).toBe(10);
    expect(last.doneMs - last.intendedMs).toBe(1005);
    expect(summary.endMs).toBe(2000);
  });

  it('ends after `amount` requests when given one', async () => {
    const clock = new VirtualClock();
    const plan = { arrivals: 'poisson' as const, rate: 50, durationMs: null, amount: 7 };
    const summary = await clock.settle(runOpenLoop(plan, clock, queueServer(clock, 2, 1)));
    expect(summary.scheduled).toBe(7);
  });

  it('stops scheduling on abort, and still waits for what it sent', async () => {
    const clock = new VirtualClock();
    const { answers, hooks } = record();
    const controller = new AbortController();
    clock.at(95, () => controller.abort());
    const plan = { arrivals: 'constant' as const, rate: 100, durationMs: 10_000, amount: null };
    const summary = await clock.settle(
      runOpenLoop(plan, clock, queueServer(clock, 1, 30), { ...hooks, signal: controller.signal }),
    );
    expect(summary.scheduled).toBe(10);
    expect(answers).toHaveLength(10);
  });

  it('reports failures and timeouts with their times, and counts them as ended', async () => {
    const clock = new VirtualClock();
    const { answers, failures, hooks } = record();
    let n = 0;
    const flaky: Transport = {
      send(handlers) {
        n += 1;
        const i = n;
        handlers.sent();
        clock.at(clock.now() + 2, () => (i % 3 === 0 ? handlers.failed(i % 2 === 0) : handlers.answered(OK)));
      },
    };
    const plan = { arrivals: 'constant' as const, rate: 100, durationMs: 120, amount: null };
    const summary = await clock.settle(runOpenLoop(plan, clock, flaky, hooks));
    expect(summary.scheduled).toBe(12);
    expect(answers).toHaveLength(8);
    expect(failures.map((f) => f.timedOut)).toEqual([false, true, false, true]);
    expect(failures[0]?.times.doneMs).toBe(22);
  });
});
