/** Median, min and max of the repetitions of one figure, with the samples they come from. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  samples: number[];
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function summarize(samples: readonly number[]): Summary {
  const finite = samples.filter(Number.isFinite);
  if (finite.length === 0)
    return { median: Number.NaN, min: Number.NaN, max: Number.NaN, samples: [...samples] };
  return {
    median: median(finite),
    min: Math.min(...finite),
    max: Math.max(...finite),
    samples: [...samples],
  };
}

/**
 * The p-th percentile (0 to 100) of values sorted ascending, by the nearest-rank method that wrk
 * and HdrHistogram use: the smallest value that at least p % of the values do not exceed.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] as number;
}

/** Rounds for the report: a few significant decimals, never scientific notation for our ranges. */
export function round(value: number, decimals = 3): number {
  if (!Number.isFinite(value)) return value;
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
