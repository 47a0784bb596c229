// Prometheus' HTTP API as the page reads it: range queries, their JSON, and one-line errors.

/** A series' labels, as Prometheus returns them (`__name__` included when the query keeps it). */
export type Labels = Record<string, string>;

/** One series of a range query: its labels and [unix seconds, value] points, oldest first. */
export interface Series {
  labels: Labels;
  points: [number, number][];
}

/** The JSON of /api/v1/query_range (https://prometheus.io/docs/prometheus/latest/querying/api/). */
interface RangeResponse {
  status?: unknown;
  error?: unknown;
  errorType?: unknown;
  data?: { resultType?: unknown; result?: unknown };
}

/**
 * The series of a query_range answer. Values arrive as strings ("NaN", "+Inf" included): a NaN
 * is dropped (nothing to draw), an infinity kept. Throws one line naming what is wrong.
 */
export function parseMatrix(json: unknown): Series[] {
  const body = json as RangeResponse;
  if (body?.status !== 'success') {
    const why = typeof body?.error === 'string' ? body.error : 'no "status": "success"';
    throw new Error(`the query API answered an error: ${why}`);
  }
  if (body.data?.resultType !== 'matrix' || !Array.isArray(body.data.result)) {
    throw new Error(`Prometheus answered ${String(body.data?.resultType)}, expected a matrix (query_range)`);
  }
  return body.data.result.map((entry: { metric?: Labels; values?: [number, string][] }) => ({
    labels: entry.metric ?? {},
    points: (entry.values ?? [])
      .map(([t, v]): [number, number] => [t, toNumber(v)])
      .filter(([, v]) => !Number.isNaN(v)),
  }));
}

/** Prometheus writes its infinities as Go does, which JavaScript's Number() does not read. */
function toNumber(value: string): number {
  if (value === '+Inf') return Number.POSITIVE_INFINITY;
  if (value === '-Inf') return Number.NEGATIVE_INFINITY;
  return Number(value);
}

/** The page's path to a range query, relative to /lab/ (nginx passes it to Prometheus). */
export function rangePath(query: string, start: number, end: number, step: number): string {
  const params = new URLSearchParams({ query, start: String(start), end: String(end), step: String(step) });
  return `api/v1/query_range?${params}`;
}
