// The open loop's requests over node:http: keep-alive connections, at most `connections` of them,
// one request in flight on each. A request whose time comes while every connection is busy waits
// in the agent's queue, and leaves (is "sent") only when a connection frees up.
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Answer, Transport } from './open-loop.js';

/**
 * How long a request may take before it counts as timed out, in both loops. Longer than anything
 * the lab makes a request wait: a replica's queue holds at most 9 s of work (hello's
 * QUEUE_MAX_WAIT_MS), and nginx gives a hung replica 12 s before it tries another. A shorter
 * timeout (autocannon's 10 s) counted requests that the lab was still going to answer as failed.
 */
export const REQUEST_TIMEOUT_MS = 30_000;

export interface HttpTransport extends Transport {
  /** Closes the kept-alive connections. */
  close(): void;
}

export function httpTransport(url: string, connections: number): HttpTransport {
  const https = url.startsWith('https:');
  const agent = https
    ? new HttpsAgent({ keepAlive: true, maxSockets: connections, rejectUnauthorized: false })
    : new HttpAgent({ keepAlive: true, maxSockets: connections });
  const request = https ? httpsRequest : httpRequest;
  return {
    send(handlers) {
      let ended = false;
      const end = (outcome: Answer | 'failed' | 'timeout') => {
        if (ended) return;
        ended = true;
        if (typeof outcome === 'object') handlers.answered(outcome);
        else handlers.failed(outcome === 'timeout');
      };
      const req = request(url, { agent, method: 'GET' }, (res) => {
        res.on('end', () => end({ status: res.statusCode ?? 0, rawHeaders: res.rawHeaders }));
        res.on('error', () => end('failed'));
        res.resume();
      });
      // 'finish': the whole request was handed to a connection, not only queued for one.
      req.on('finish', () => handlers.sent());
      req.setTimeout(REQUEST_TIMEOUT_MS, () => {
        end('timeout');
        req.destroy();
      });
      req.on('error', () => end('failed'));
      req.end();
    },
    close() {
      agent.destroy();
    },
  };
}

/**
 * The process's monotonic clock, and timers on it. A timer counts whole milliseconds on a clock
 * of its own and can fire up to a millisecond before `performance.now()` reaches its time: a
 * request sent then would leave before it was due, and its latency from the send would exceed
 * the one from its intended start. So sleepUntil waits out what is left, the last fraction of a
 * millisecond by turns of the event loop.
 */
export const systemClock = {
  now: () => performance.now(),
  sleepUntil: (ms: number) =>
    new Promise<void>((resolve) => {
      const wake = () => {
        const left = ms - performance.now();
        if (left <= 0) resolve();
        else if (left >= 1) setTimeout(wake, left);
        else setImmediate(wake);
      };
      wake();
    }),
};
