// The probe that runs inside the perf driver container, on the lab's network: latency with a
// resolution of microseconds (autocannon's histogram counts whole milliseconds), a scrape of each
// replica's connection counter through nginx, and a wait for a server to answer.
//
// The job transpiles this file and pipes it to `node --input-type=module -` in the container, so
// it imports nothing but Node's own modules. It runs only when PERF_PROBE names a mode; importing
// it (the unit tests) runs nothing.
import { connect, type Socket } from 'node:net';

export interface HttpResponse {
  status: number;
  /** Header names in lower case; a repeated header keeps its last value. */
  headers: Record<string, string>;
  body: string;
}

/**
 * Reads HTTP/1.1 responses off a keep-alive connection, chunk by chunk: each push returns the
 * responses it completed. Bodies need a Content-Length (every server of the lab sends one).
 */
export class ResponseReader {
  #buffer: Buffer = Buffer.alloc(0);
  #head: { status: number; headers: Record<string, string>; bodyStart: number; length: number } | null = null;

  push(chunk: Buffer): HttpResponse[] {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const done: HttpResponse[] = [];
    for (;;) {
      if (!this.#head) {
        const end = this.#buffer.indexOf('\r\n\r\n');
        if (end === -1) return done;
        this.#head = parseHead(this.#buffer.toString('latin1', 0, end), end + 4);
      }
      const { status, headers, bodyStart, length } = this.#head;
      if (this.#buffer.length < bodyStart + length) return done;
      done.push({ status, headers, body: this.#buffer.toString('utf8', bodyStart, bodyStart + length) });
      this.#buffer = this.#buffer.subarray(bodyStart + length);
      this.#head = null;
    }
  }
}

function parseHead(head: string, bodyStart: number) {
  const [statusLine = '', ...lines] = head.split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
  if (!status) throw new Error(`not an HTTP/1.1 response: ${statusLine.slice(0, 80)}`);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  if (headers['transfer-encoding']) throw new Error('chunked answers are not read by the probe');
  const length = Number(headers['content-length'] ?? 0);
  return { status: Number(status[1]), headers, bodyStart, length };
}

/** The bytes of one GET, as wrk sends it: the request line and Host, nothing else. */
export function requestBytes(url: URL): Buffer {
  return Buffer.from(`GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\n\r\n`, 'latin1');
}

/** One keep-alive connection, with a reader for the answers that come on it. */
function openConnection(url: URL): Promise<{ socket: Socket; reader: ResponseReader }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: url.hostname, port: Number(url.port || 80), noDelay: true });
    socket.once('connect', () => resolve({ socket, reader: new ResponseReader() }));
    socket.once('error', reject);
  });
}

export interface LatencyResult {
  requests: number;
  errors: number;
  seconds: number;
  /** New connections opened after a server closed one with `Connection: close` (nginx's keepalive_requests). */
  reconnects: number;
  /** Microseconds, one per answer in the measured window, in the order they came. */
  latenciesUs: number[];
}

/**
 * A closed loop: each of `connections` sends its next request when the answer to the previous
 * one is in. Answers during the warm-up are left out. A server that closes a connection after an
 * answer that says so (nginx does after `keepalive_requests` answers) gets a new one, as a
 * browser would open it; the connect is not part of any answer's time. A connection that fails or
 * closes without saying so ends its loop; the others go on.
 */
export async function latency(
  url: URL,
  connections: number,
  seconds: number,
  warmup: number,
): Promise<LatencyResult> {
  const request = requestBytes(url);
  const started = process.hrtime.bigint();
  const measureFrom = started + BigInt(Math.round(warmup * 1e9));
  const end = measureFrom + BigInt(Math.round(seconds * 1e9));
  const latenciesUs: number[] = [];
  let errors = 0;
  let reconnects = 0;

  /** One connection's requests until the run ends (false) or the server closes it as it said (true). */
  const runConnection = async (): Promise<boolean> => {
    const { socket, reader } = await openConnection(url);
    return new Promise<boolean>((resolve) => {
      let sentAt = process.hrtime.bigint();
      let closing = false;
      socket.on('data', (chunk: Buffer) => {
        for (const response of reader.push(chunk)) {
          const now = process.hrtime.bigint();
          if (response.status !== 200) errors += 1;
          else if (sentAt >= measureFrom) latenciesUs.push(Number(now - sentAt) / 1000);
          closing = response.headers.connection?.toLowerCase() === 'close';
          if (closing || now >= end) {
            socket.end();
            return;
          }
          sentAt = now;
          socket.write(request);
        }
      });
      socket.on('error', () => {
        errors += 1;
        closing = false;
      });
      socket.on('close', () => resolve(closing && process.hrtime.bigint() < end));
      socket.write(request);
    });
  };

  const loops = Array.from({ length: connections }, async () => {
    let again = await runConnection();
    while (again) {
      reconnects += 1;
      again = await runConnection().catch(() => {
        errors += 1;
        return false;
      });
    }
  });
  await Promise.all(loops);
  return { requests: latenciesUs.length, errors, seconds, reconnects, latenciesUs };
}

/**
 * Each replica's http_connections_total, read through nginx on one keep-alive connection: nginx
 * hands consecutive requests to the replicas in turn, so `replicas` requests usually reach each
 * one once; a few more are sent when some replica was missed.
 */
async function scrape(url: URL, replicas: number): Promise<Record<string, number>> {
  const { socket, reader } = await openConnection(url);
  // A reset shows as the close that follows it, which fails the scrape below.
  socket.on('error', () => {});
  const counts: Record<string, number> = {};
  const request = requestBytes(url);
  for (let tries = 0; tries < replicas * 4 && Object.keys(counts).length < replicas; tries++) {
    const response = await new Promise<HttpResponse>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        const [first] = reader.push(chunk);
        if (first) {
          socket.off('data', onData);
          socket.off('close', onClose);
          resolve(first);
        }
      };
      const onClose = () => reject(new Error(`${url.host} closed the connection before answering`));
      socket.on('data', onData);
      socket.once('close', onClose);
      socket.write(request);
    });
    const replica = response.headers['x-hostname'];
    const match = /^http_connections_total (\d+)$/m.exec(response.body);
    if (replica && match) counts[replica] = Number(match[1]);
  }
  socket.end();
  return counts;
}

/** Polls until the server answers 200, for servers that have no healthcheck. */
async function waitFor(url: URL, timeoutSeconds: number): Promise<{ waitedSeconds: number }> {
  const started = Date.now();
  for (;;) {
    const ok = await fetch(url).then(
      async (res) => {
        await res.arrayBuffer();
        return res.ok;
      },
      () => false,
    );
    if (ok) return { waitedSeconds: (Date.now() - started) / 1000 };
    if (Date.now() - started > timeoutSeconds * 1000)
      throw new Error(`${url} did not answer within ${timeoutSeconds} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function main(mode: string, env: NodeJS.ProcessEnv): Promise<unknown> {
  const url = new URL(env.PROBE_URL ?? '');
  const number = (name: string, fallback: number) => Number(env[name] ?? fallback);
  if (mode === 'latency') {
    return latency(
      url,
      number('PROBE_CONNECTIONS', 1),
      number('PROBE_SECONDS', 1),
      number('PROBE_WARMUP', 0),
    );
  }
  if (mode === 'scrape') return scrape(url, number('PROBE_REPLICAS', 1));
  if (mode === 'wait') return waitFor(url, number('PROBE_TIMEOUT', 30));
  throw new Error(`PERF_PROBE=${mode}: expected latency, scrape or wait`);
}

const mode = process.env.PERF_PROBE;
if (mode) {
  // Failed until a result is written: a probe whose sockets all went quiet must not exit 0 mute.
  process.exitCode = 1;
  main(mode, process.env).then(
    (result) => {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      process.exitCode = 0;
    },
    (error: Error) => process.stderr.write(`probe: ${error.message}\n`),
  );
}
