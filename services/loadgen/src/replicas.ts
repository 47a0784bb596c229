// Each replica's answers, failures and latency, by the X-Hostname of its answers: a replica that
// is slow or fails shows beside the healthy ones, where the run's overall figures average it away.
import { round } from '@hello-lab/shared/round';
import { build, type Histogram } from 'hdr-histogram-js';
import { byCountThenName } from './tally.js';

/** One replica's latency percentiles, in milliseconds: p50 and p99 from an HDR histogram, max exact. */
export interface ReplicaLatency {
  p50: number;
  p99: number;
  max: number;
}

/** One replica's figures, as bench-latest.json holds them in `replicas`. */
export interface ReplicaFigures {
  /** The X-Hostname of its answers; NO_HEADER ("(none)") for answers without one, such as the proxy's 502. */
  hostname: string;
  /** Its answers, whatever their status. The answers of all replicas add up to requests.total. */
  answers: number;
  /** Its answers over all answers, to 4 decimals: the shares of all replicas add up to 1. */
  share: number;
  /** Its answers outside 200-299. */
  non2xx: number;
  /** Its answers by status: { "200": 1150, "500": 3 }. */
  statusCodes: Record<string, number>;
  /** As the result's latencyMs: a closed loop's from the send, an open loop's from the intended start. */
  latencyMs: ReplicaLatency;
  /** An open loop's latency from the actual send; null for a closed loop. */
  sentLatencyMs: ReplicaLatency | null;
}

/**
 * Microseconds from 1 µs, 3 significant digits (values within 0.1 %), growing past 60 s when a
 * value needs it: about 70 kB a histogram, and a few array operations an answer.
 */
const newHistogram = (): Histogram =>
  build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });

/** Latencies of one replica: a histogram for the percentiles and the exact largest value. */
class LatencyRecord {
  private readonly histogram = newHistogram();
  private max = 0;

  add(latencyMs: number): void {
    this.histogram.recordValue(Math.max(0, Math.round(latencyMs * 1000)));
    if (latencyMs > this.max) this.max = latencyMs;
  }

  summary(): ReplicaLatency {
    const at = (percentile: number) => round(this.histogram.getValueAtPercentile(percentile) / 1000, 3);
    return { p50: at(50), p99: at(99), max: round(this.max, 3) };
  }
}

class ReplicaRecord {
  answers = 0;
  non2xx = 0;
  readonly statusCodes: Record<string, number> = {};
  readonly latency = new LatencyRecord();
  readonly sentLatency: LatencyRecord | null;

  constructor(fromSend: boolean) {
    this.sentLatency = fromSend ? new LatencyRecord() : null;
  }
}

/**
 * Running figures per replica over every answer of a run, one tally per run. `fromSend`: the run
 * is an open loop, whose answers also carry the latency from the actual send.
 */
export class ReplicaTally {
  private readonly byHostname = new Map<string, ReplicaRecord>();

  constructor(private readonly fromSend = false) {}

  add(hostname: string, status: number, latencyMs: number, sentLatencyMs?: number): void {
    let record = this.byHostname.get(hostname);
    if (record === undefined) {
      record = new ReplicaRecord(this.fromSend);
      this.byHostname.set(hostname, record);
    }
    record.answers += 1;
    if (status < 200 || status > 299) record.non2xx += 1;
    record.statusCodes[status] = (record.statusCodes[status] ?? 0) + 1;
    record.latency.add(latencyMs);
    if (sentLatencyMs !== undefined) record.sentLatency?.add(sentLatencyMs);
  }

  /** Every replica seen, most answers first, as the hostnames are counted. */
  summary(): ReplicaFigures[] {
    const records = [...this.byHostname].sort(([a, x], [b, y]) =>
      byCountThenName(a, x.answers, b, y.answers),
    );
    const total = records.reduce((sum, [, record]) => sum + record.answers, 0);
    return records.map(([hostname, record]) => ({
      hostname,
      answers: record.answers,
      share: round(record.answers / total, 4),
      non2xx: record.non2xx,
      statusCodes: { ...record.statusCodes },
      latencyMs: record.latency.summary(),
      sentLatencyMs: record.sentLatency?.summary() ?? null,
    }));
  }
}
