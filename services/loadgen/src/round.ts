/** A number rounded to a number of decimal places, so that reports and JSON stay readable. */
export function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
