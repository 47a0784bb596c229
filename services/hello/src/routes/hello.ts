import accepts from 'accepts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { renderPage } from '../page.js';
import { MADE_TO_FAIL } from '../sick.js';
import { serverTiming, timedSpin } from '../work.js';

/**
 * GET /: the seed's answer after the busy loop, as text or, for a browser, as a page. A sick
 * replica (sick.ts) runs the loop more times over, or fails a share of its answers. A request that
 * would wait longer than QUEUE_MAX_WAIT_MS for its loop is refused with 503 (work-queue.ts).
 */
export function helloRoute(app: FastifyInstance): void {
  const { config, identity, stats, metrics, sick, work: queue } = app;
  const text = `${config.greeting} from ${identity.hostname} (v${identity.version})`;
  // A plain handler that sends, not an async one: no promise to settle per answer.
  app.get('/', (request, reply) => {
    if (sick.failsNow()) {
      reply.code(500).header('cache-control', 'no-store').send(MADE_TO_FAIL);
      return;
    }
    queue.submit(
      request.raw,
      () => answer(request, reply),
      (waitMs) => refuse(reply, waitMs),
    );
  });

  /**
   * Refused without the loop, so that a refusal costs next to nothing and the loops go to the
   * requests that can still be answered in time. Retry-After is when the queue ahead would have
   * run dry, at least a second: a client that waits as told finds room.
   */
  function refuse(reply: FastifyReply, waitMs: number): void {
    if (app.lifecycle.draining) reply.header('connection', 'close');
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    reply
      .code(503)
      .header('retry-after', String(seconds))
      .header('cache-control', 'no-store')
      .type('text/plain; charset=utf-8')
      .send(`Too busy: ${queue.length} requests wait here. Try again in ${seconds} s.\n`);
  }

  function answer(request: FastifyRequest, reply: FastifyReply): void {
    const work = timedSpin(config.WORK_ITERATIONS * sick.factor);
    stats.requestsServed += 1;
    metrics.workSeconds.observe(work.wallMs / 1000);
    metrics.workCpuSeconds.observe(work.cpuMs / 1000);
    // Queued answers can go out after shutdown began, when the close has already ended the
    // connections that were idle: this one must not stay open and hold the exit back.
    if (app.lifecycle.draining) reply.header('connection', 'close');
    reply
      .header('server-timing', serverTiming(work))
      .header('cache-control', 'no-store')
      .header('vary', 'Accept');
    // Negotiated only when the client names HTML at all: most load tools send no Accept.
    const accept = request.headers.accept;
    if (accept?.includes('html') && accepts(request.raw).type(['text/plain', 'text/html']) === 'text/html') {
      const page = renderPage({ ...identity, greeting: config.greeting, workMs: work.wallMs });
      reply.type('text/html; charset=utf-8').header('content-security-policy', page.csp).send(page.html);
      return;
    }
    reply.type('text/plain; charset=utf-8').send(text);
  }
}
