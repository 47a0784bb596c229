// The lab's waits must nest: a replica answers or refuses within its queue's bound, nginx waits
// longer than that before it calls a replica hung and moves a request on, and the load generator
// waits longer still. When they did not (nginx's 5 s against a queue of 8 s at 3000 clients),
// nginx gave up on requests that a replica still ran, and ran them again on another: the work
// done twice that turns overload into collapse (README, "Overload").
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../services/hello/src/config.js';
import { REQUEST_TIMEOUT_MS } from '../../services/loadgen/src/open-loop/http-transport.js';
import { readText } from './manifests.js';

const nginxConf = readText('nginx/nginx.conf');

/** The value of an nginx directive in the main server, in ms for times like 12s. */
function directive(name: string): string {
  const match = new RegExp(`^ *${name} ([^;]+);`, 'm').exec(nginxConf);
  if (!match?.[1]) throw new Error(`nginx/nginx.conf has no ${name}`);
  return match[1];
}
const seconds = (value: string) => {
  const match = /^(\d+)s$/.exec(value);
  if (!match) throw new Error(`expected a time in seconds such as 12s, found ${value}`);
  return Number(match[1]) * 1000;
};

describe('the waits of the lab', () => {
  const queueBound = loadConfig({}).QUEUE_MAX_WAIT_MS;
  const readTimeout = seconds(directive('proxy_read_timeout'));

  it("nest: the queue's bound, then nginx's read timeout, then its retry window and the client's", () => {
    expect(queueBound).toBeGreaterThan(0);
    // A second for the loop itself and the proxy's own work on a busy machine.
    expect(readTimeout).toBeGreaterThanOrEqual(queueBound + 1000);
    // After a hung replica's read timeout there is still time to try another.
    expect(seconds(directive('proxy_next_upstream_timeout'))).toBeGreaterThanOrEqual(2 * readTimeout);
    // The load generator counts as failed only what the lab will not answer.
    expect(REQUEST_TIMEOUT_MS).toBeGreaterThanOrEqual(2 * readTimeout);
  });

  it("do not retry a replica's refusal, which would triple the refusals under overload", () => {
    const retried = directive('proxy_next_upstream').split(/\s+/);
    expect(retried).not.toContain('http_503');
    expect(retried).toEqual(expect.arrayContaining(['error', 'timeout']));
  });

  it('let nginx hold 3000 clients, each with its connection to a replica', () => {
    expect(Number(directive('worker_connections'))).toBeGreaterThanOrEqual(2 * 3000);
    expect(Number(directive('worker_rlimit_nofile'))).toBeGreaterThanOrEqual(
      Number(directive('worker_connections')),
    );
  });

  it("freeze a replica in make chaos longer than nginx's read timeout, so the pause is a hang", () => {
    const makefile = /^PAUSE \?= (\d+)$/m.exec(readText('Makefile'))?.[1];
    const script = /pause=\$\{PAUSE:-(\d+)\}/.exec(readText('scripts/lab/chaos.sh'))?.[1];
    expect(script).toBe(makefile);
    expect(Number(makefile) * 1000).toBeGreaterThan(readTimeout);
  });
});
