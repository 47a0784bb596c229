/**
 * A number rounded to a number of decimal places, so that reports and JSON stay readable.
 * NaN and the infinities come back as they are.
 */
export function round(value: number, decimals = 3): number {
  if (!Number.isFinite(value)) return value;
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
