import type { EventEmitter } from 'node:events';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { readEvents } from './events.js';
import { autocannonCounts, type Measurement, measuredWindow, toResult } from './measurement.js';
import { REQUEST_TIMEOUT_MS } from './open-loop/http-transport.js';
import { measureOpenLoop, warmUpOpenLoop } from './open-loop/measure.js';
import { eventsFile, type Options } from './options.js';
import { measureOtherCores } from './other-work.js';
import { tickProgress } from './progress-ticker.js';
import { ReplicaTally } from './replicas.js';
import type { BenchResult } from './result.js';
import { type Identity, IdentityReader, Tally } from './tally.js';
import { Timeline } from './timeline.js';

/** The target did not answer at all: nothing to measure. */
export class TargetUnreachableError extends Error {
  override name = 'TargetUnreachableError';
}

/** The run was stopped before the measurement started. */
export class RunAbortedError extends Error {
  override name = 'RunAbortedError';
}

export interface Progress {
  phase: 'warm-up' | 'measure';
  elapsedSeconds: number;
  /** Answers in the last second. */
  requestsPerSecond: number;
  /** Failed requests so far in this phase. */
  errors: number;
}

export interface RunHooks {
  /** Called about once a second while load is being sent. */
  onProgress?: (progress: Progress) => void;
  /** Stops the run: during the measurement, the result covers what was measured until then. */
  signal?: AbortSignal;
  /** A one-line warning that does not stop the run, such as lines of the events file skipped. */
  onWarning?: (message: string) => void;
  /** Called once, when the measured phase starts (after the warm-up). */
  onMeasureStart?: (startedAt: Date) => void;
}

const PREFLIGHT_TIMEOUT_MS = 5000;

/**
 * One request before any load, so that a wrong address fails at once with one line instead of a
 * run full of connection errors (autocannon reconnects without end, and with --amount it would
 * never finish). Any HTTP answer counts as reachable, even an error status. HEAD, so that it is
 * told apart from the load in an access log.
 */
export function checkReachable(url: string): Promise<void> {
  const request = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    // Certificates are not checked, as autocannon does not check them; no pooled socket is left open.
    const req = request(url, { method: 'HEAD', agent: false, rejectUnauthorized: false }, (res) => {
      res.resume();
      resolve();
    });
    req.setTimeout(PREFLIGHT_TIMEOUT_MS, () => {
      req.destroy(new Error(`no answer within ${PREFLIGHT_TIMEOUT_MS / 1000} s`));
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      reject(new TargetUnreachableError(`cannot reach ${url}: ${error.code ?? error.message}`));
    });
    req.end();
  });
}

/** What autocannon's client emits on 'headers': the HTTP parser's info, with raw headers. */
interface HeadersInfo {
  headers?: string[];
}

/**
 * autocannon's client as the event emitter it is (lib/httpClient.js): its type declarations
 * list only 'headers', 'body' and 'response', not 'connError' and 'timeout'.
 */
function clientEvents(client: autocannon.Client): EventEmitter {
  return client;
}

/**
 * The request count to give autocannon so that --amount answers come back. autocannon stops a
 * connection as soon as it has sent its share, so with pipelining the last pipelining - 1
 * requests of each connection are sent but their answers never counted; ask for that many more.
 */
export function requestsFor(options: Options): number {
  return (options.amount ?? 0) + options.connections * (options.pipelining - 1);
}

interface Load {
  instance: autocannon.Instance;
  done: Promise<autocannon.Result>;
}

/**
 * The warm-up's connections at most. The warm-up is an autocannon run of its own, which leaves a
 * request queued on each of its connections when it stops: the replicas still run those loops
 * for nobody, and the measured run waits behind them. At 1000 connections that was about 4 s of
 * CPU, and a measured 263 req/s against 360 without it (docs/performance.md, "Overload"). A few
 * connections warm the JIT and the proxy as well; the measured run opens the rest itself.
 */
export const WARMUP_CONNECTIONS = 10;

/** Starts autocannon for one phase: the warm-up (its seconds) or the measurement (duration or amount). */
function startLoad(
  options: Options,
  phase: Progress['phase'],
  setupClient: (client: autocannon.Client) => void,
): Load {
  const limit =
    phase === 'warm-up'
      ? { duration: options.warmup }
      : options.amount !== null
        ? { amount: requestsFor(options) }
        : { duration: options.duration };
  let instance: autocannon.Instance | undefined;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url: options.url,
        connections:
          phase === 'warm-up' ? Math.min(options.connections, WARMUP_CONNECTIONS) : options.connections,
        pipelining: options.pipelining,
        timeout: REQUEST_TIMEOUT_MS / 1000,
        ...limit,
        setupClient,
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
  return { instance: instance as autocannon.Instance, done };
}

async function warmUp(options: Options, hooks: RunHooks): Promise<void> {
  if (options.warmup <= 0) return;
  let answered = 0;
  let errors = 0;
  const load = startLoad(options, 'warm-up', (client) => {
    const events = clientEvents(client);
    events.on('response', () => {
      answered += 1;
    });
    events.on('connError', () => {
      errors += 1;
    });
    events.on('timeout', () => {
      errors += 1;
    });
  });
  const stopTicking = tickProgress('warm-up', hooks, () => ({ answered, errors }));
  const abort = () => load.instance.stop();
  hooks.signal?.addEventListener('abort', abort);
  try {
    await load.done;
  } finally {
    stopTicking();
    hooks.signal?.removeEventListener('abort', abort);
  }
}

async function measure(options: Options, hooks: RunHooks): Promise<Measurement> {
  const tally = new Tally();
  const replicas = new ReplicaTally();
  const identities = new IdentityReader();
  const startedAt = new Date();
  const startMs = performance.now();
  const timeline = new Timeline(startMs);
  let lastEventMs = startMs;
  let errors = 0;
  const cpuAtStart = process.cpuUsage();

  // autocannon's 'response' event has no headers. Each client's 'headers' event comes just
  // before the 'response' event of the same answer (answers on a connection arrive in order,
  // pipelined or not), so the identity read from one is paired with the next.
  const setupClient = (client: autocannon.Client) => {
    let pending: Identity | undefined;
    client.on('headers', (info: unknown) => {
      pending = identities.read((info as HeadersInfo).headers ?? []);
    });
    client.on('response', (status: number, _bytes: number, latencyMs: number) => {
      const identity = pending ?? identities.read([]);
      pending = undefined;
      lastEventMs = performance.now();
      tally.add(identity, latencyMs);
      replicas.add(identity.hostname, status, latencyMs);
      timeline.addResponse(lastEventMs, status, identity, latencyMs);
    });
    const onError = () => {
      errors += 1;
      lastEventMs = performance.now();
      timeline.addError(lastEventMs);
    };
    clientEvents(client).on('connError', onError);
    clientEvents(client).on('timeout', onError);
  };

  const load = startLoad(options, 'measure', setupClient);
  hooks.onMeasureStart?.(startedAt);
  const stopTicking = tickProgress('measure', hooks, () => ({ answered: tally.count, errors }), startMs);
  let interrupted = false;
  const abort = () => {
    interrupted = true;
    load.instance.stop();
  };
  hooks.signal?.addEventListener('abort', abort);
  try {
    const raw = await load.done;
    const finishMs = performance.now();
    // With --amount, autocannon notices the end only at its next one-second tick: the window
    // ends at the last answer. With --duration, the load really goes on until autocannon stops.
    const endMs = options.amount !== null || interrupted ? lastEventMs : finishMs;
    const cpu = process.cpuUsage(cpuAtStart);
    const counts = autocannonCounts(raw);
    return {
      counts,
      openLoop: null,
      tally,
      replicas,
      timeline,
      startedAt,
      startMs,
      endMs,
      finishMs,
      cpu,
      interrupted,
    };
  } finally {
    stopTicking();
    hooks.signal?.removeEventListener('abort', abort);
  }
}

/**
 * Runs the benchmark: a reachability check, the machine's other work (unless --other-cores gives
 * it), the warm-up, then the measurement, every answer counted by hostname and version, and last
 * the events file, read once the load has stopped. Returns the whole result; prints and writes
 * nothing.
 */
export async function runBenchmark(options: Options, hooks: RunHooks = {}): Promise<BenchResult> {
  await checkReachable(options.url);
  // Before any load, while the lab is idle: during the run the machine's busy time also holds
  // the replicas' HTTP work beyond the loop's S, which would count as other work.
  const otherCores = options.otherCores ?? (await measureOtherCores(hooks.signal));
  if (hooks.signal?.aborted) throw new RunAbortedError('stopped before the measurement started');
  // A fixed rate is an open loop of our own; autocannon is the closed loop (each connection
  // sends its next request when the answer is in) and sends a "rate" in bursts.
  const open = options.rate !== null;
  await (open ? warmUpOpenLoop(options, hooks) : warmUp(options, hooks));
  if (hooks.signal?.aborted) throw new RunAbortedError('stopped before the measurement started');
  const measurement = await (open ? measureOpenLoop(options, hooks) : measure(options, hooks));
  const { events, warning } = await readEvents(eventsFile(options), measuredWindow(measurement));
  if (warning !== null) hooks.onWarning?.(warning);
  return toResult(options, measurement, events, otherCores);
}
