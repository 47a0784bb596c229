/** How numbers read in both reports, the terminal one and the HTML one. */

import type { BenchResult } from './result.js';

/** Versions read as hello prints them: "v2" for "2". */
export function versionLabel(version: string): string {
  return /^\d/.test(version) ? `v${version}` : version;
}

/** A share as a percentage with one decimal, such as "33.3%". */
export function percent(part: number, whole: number): string {
  return `${whole > 0 ? ((part / whole) * 100).toFixed(1) : '0.0'}%`;
}

/** Milliseconds: whole ones as they are (autocannon's histogram), others to a sensible precision. */
export function ms(value: number | null): string {
  if (value === null) return '-';
  if (Number.isInteger(value)) return `${value} ms`;
  return `${value.toFixed(value < 10 ? 2 : 1)} ms`;
}

export function rps(value: number): string {
  return `${value.toFixed(1)} req/s`;
}

/** A measured/predicted ratio, such as "0.93x"; empty when there is none. */
export function ratio(value: number | null): string {
  return value === null ? '' : `${value.toFixed(2)}x`;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** What kind of time the model's service time S is, after its value: "5.10 ms of CPU". */
export const SERVICE_TIME_KIND = { cpu: 'of CPU', work: 'of wall time' } as const;

/**
 * What S is and where it came from, such as "5.10 ms of CPU per answer (Server-Timing cpu,
 * 3450 answers); wall 7.90 ms".
 */
export function serviceTimeText({
  model,
  workMs,
  cpuMs,
}: Pick<BenchResult, 'model' | 'workMs' | 'cpuMs'>): string {
  const { serviceTimeMs, serviceTimeFrom } = model;
  if (serviceTimeFrom === null) return '- (no answer carried Server-Timing)';
  const S = `${ms(serviceTimeMs)} ${SERVICE_TIME_KIND[serviceTimeFrom]} per answer`;
  if (serviceTimeFrom === 'work')
    return `${S} (Server-Timing work, ${plural(workMs.count, 'answer')}; no cpu)`;
  const wall = workMs.mean === null ? '' : `; wall ${ms(workMs.mean)}`;
  return `${S} (Server-Timing cpu, ${plural(cpuMs.count, 'answer')})${wall}`;
}

/**
 * The failed requests of a run and all its requests, answered or not: a failure is an answer
 * outside 2xx or a request without an answer (connection error or timeout; timeouts are errors).
 */
export function failures({
  total,
  non2xx,
  errors,
}: Pick<BenchResult['requests'], 'total' | 'non2xx' | 'errors'>) {
  return { failed: non2xx + errors, requests: total + errors };
}

/** A small share as a percentage that does not round a failure away: "0.02%", "12.50%". */
export function failedShare(failed: number, requests: number): string {
  return `${requests > 0 ? ((failed / requests) * 100).toFixed(2) : '0.00'}%`;
}

/** Seconds since the start of the measurement, as events are placed: "+12.3 s". */
export function atSecondsText(atSeconds: number): string {
  return `+${atSeconds.toFixed(1)} s`;
}
