// Sick replicas on demand (make sick, make heal): each mode changes what one replica answers
// through the proxy, and only that replica's answers; healing brings it back.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BASE_URL, compose, eventually, make } from './lab.js';

interface Answer {
  host: string;
  status: number;
  /** The busy loop's CPU time from Server-Timing; undefined on an answer without a loop. */
  cpuMs: number | undefined;
}

/** The state a replica's operator port reports: GET /sick there. */
interface SickAnswer {
  hostname: string;
  sick: { mode: string } | null;
  held: number;
}

async function get(path = '/'): Promise<Answer> {
  const res = await fetch(`${BASE_URL}${path}`, { signal: AbortSignal.timeout(60_000) });
  await res.arrayBuffer();
  const cpu = /cpu;dur=([\d.]+)/.exec(res.headers.get('server-timing') ?? '')?.[1];
  return {
    host: res.headers.get('x-hostname') ?? '(none)',
    status: res.status,
    cpuMs: cpu === undefined ? undefined : Number(cpu),
  };
}

async function answers(count: number): Promise<Answer[]> {
  const seen: Answer[] = [];
  for (let i = 0; i < count; i++) seen.push(await get());
  return seen;
}

/** Inside replica `number` (compose's container number), on the lab's network only. */
async function inReplica(number: number, url: string): Promise<{ ok: boolean; body: string }> {
  try {
    const { stdout } = await compose(
      'exec',
      '-T',
      '--index',
      String(number),
      'hello',
      'wget',
      '-q',
      '-O',
      '-',
      url,
    );
    return { ok: true, body: stdout };
  } catch (error) {
    return { ok: false, body: String(error) };
  }
}

async function operatorState(number: number): Promise<SickAnswer> {
  const { ok, body } = await inReplica(number, 'http://127.0.0.1:8081/sick');
  if (!ok) throw new Error(`replica ${number}'s operator port did not answer: ${body}`);
  return JSON.parse(body);
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

const by = (seen: Answer[], host: string) => seen.filter((answer) => answer.host === host);
const others = (seen: Answer[], host: string) => seen.filter((answer) => answer.host !== host);

describe('make sick and make heal', () => {
  /** The running replicas: compose's number of each, and its hostname. */
  const replicas: { number: number; host: string }[] = [];
  let sick: { number: number; host: string };

  beforeAll(async () => {
    await make('scale', 'N=3');
    const { stdout } = await compose('ps', '--status', 'running', '--format', '{{.Name}}', 'hello');
    for (const name of stdout.split('\n').filter(Boolean)) {
      const number = Number(/-(\d+)$/.exec(name)?.[1]);
      replicas.push({ number, host: (await operatorState(number)).hostname });
    }
    replicas.sort((a, b) => a.number - b.number);
    expect(replicas).toHaveLength(3);
    // The middle one, so that the sick replica is neither the first nor the last nginx tries.
    sick = replicas[1] as { number: number; host: string };
  });

  afterEach(async () => {
    await make('heal');
  });

  afterAll(async () => {
    await make('heal');
  });

  it('slow: only that replica runs its busy loop FACTOR times over', async () => {
    await make('sick', `REPLICA=${sick.number}`, 'MODE=slow', 'FACTOR=20');
    expect((await operatorState(sick.number)).sick).toEqual({ mode: 'slow', factor: 20 });
    const seen = await answers(30);
    expect(seen.every((answer) => answer.status === 200)).toBe(true);
    const cpu = (list: Answer[]) => median(list.map((answer) => answer.cpuMs ?? Number.NaN));
    // The ratio is the loop's count of iterations, 20 to 1, which the code sets, not the machine's
    // speed: CPU time counts the loop's own work, not the waits of a busy machine.
    expect(by(seen, sick.host)).toHaveLength(10);
    expect(cpu(by(seen, sick.host))).toBeGreaterThan(5 * cpu(others(seen, sick.host)));

    await make('heal', `REPLICA=${sick.number}`);
    expect((await operatorState(sick.number)).sick).toBeNull();
    const healed = await answers(30);
    expect(cpu(by(healed, sick.host))).toBeLessThan(5 * cpu(others(healed, sick.host)));
  });

  it('fail: only that replica answers 500, a SHARE of its answers', async () => {
    await make('sick', `REPLICA=${sick.number}`, 'MODE=fail', 'SHARE=0.5');
    const seen = await answers(60);
    // SHARE=0.5 fails every second answer: 10 of its 20. nginx does not retry a 500 (a replica
    // that answered has done the work), so each one reaches the client.
    expect(
      by(seen, sick.host)
        .map((answer) => answer.status)
        .sort(),
    ).toEqual([...Array(10).fill(200), ...Array(10).fill(500)]);
    expect(others(seen, sick.host).every((answer) => answer.status === 200)).toBe(true);

    await make('heal');
    const healed = await answers(30);
    expect(healed.every((answer) => answer.status === 200)).toBe(true);
    expect(by(healed, sick.host)).toHaveLength(10);
  });

  it('unready: only that replica fails its readiness check, and still answers', async () => {
    await make('sick', `REPLICA=${sick.number}`, 'MODE=unready');
    for (const { number } of replicas) {
      const ready = await inReplica(number, 'http://127.0.0.1:8080/readyz');
      expect({ number, ready: ready.ok }).toEqual({ number, ready: number !== sick.number });
    }
    // compose's nginx follows DNS, not readiness: the replica keeps its share (Kubernetes would
    // take it out of the Service).
    const seen = await answers(30);
    expect(seen.every((answer) => answer.status === 200)).toBe(true);
    expect(by(seen, sick.host)).toHaveLength(10);

    await make('heal');
    expect((await inReplica(sick.number, 'http://127.0.0.1:8080/readyz')).ok).toBe(true);
  });

  it('stall: that replica holds its requests until healed, then answers them', async () => {
    await make('sick', `REPLICA=${sick.number}`, 'MODE=stall');
    // Three at once: round robin gives one to each replica.
    let pending = 3;
    const requests = [get(), get(), get()].map((request) =>
      request.finally(() => {
        pending -= 1;
      }),
    );
    const held = await eventually(async () => (await operatorState(sick.number)).held > 0, 30_000);
    expect(held).toBe(true);
    // A held request has not been answered: the replica is hung, not slow.
    expect(pending).toBeGreaterThan(0);

    await make('heal');
    const seen = await Promise.all(requests);
    // Released, or tried on another replica once the proxy gave up on it: none is lost.
    expect(seen.map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect((await operatorState(sick.number)).held).toBe(0);
    const healed = await answers(30);
    expect(healed.every((answer) => answer.status === 200)).toBe(true);
    expect(by(healed, sick.host)).toHaveLength(10);
  });
});
