import type { BenchResult } from './result.js';

/** Text that is not a bench result: the message says what is missing or wrong, in one line. */
export class NotABenchResultError extends Error {
  override name = 'NotABenchResultError';
}

const isNumber = (value: unknown) => typeof value === 'number' && Number.isFinite(value);
const isNumberOrNull = (value: unknown) => value === null || isNumber(value);
const isNumberOrMissing = (value: unknown) => value === undefined || isNumber(value);
const isString = (value: unknown) => typeof value === 'string';
const isStringOrNull = (value: unknown) => value === null || isString(value);
const isTime = (value: unknown) => isString(value) && !Number.isNaN(Date.parse(value as string));
const isCounts = (value: unknown) =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  Object.values(value).every(isNumber);

/**
 * The fields a sweep reads, each with its check and what it should be. A file that has them all
 * came from `loadgen` (bench-latest.json or a timestamped copy); the rest of it is not checked.
 */
const FIELDS: ReadonlyArray<readonly [path: string, check: (value: unknown) => boolean, expected: string]> = [
  ['startedAt', isTime, 'a time'],
  ['finishedAt', isTime, 'a time'],
  ['options.url', isString, 'a string'],
  ['options.duration', isNumber, 'a number'],
  ['options.amount', isNumberOrNull, 'a number or null'],
  ['options.connections', isNumber, 'a number'],
  ['options.pipelining', isNumber, 'a number'],
  ['options.warmup', isNumber, 'a number'],
  ['options.rate', isNumberOrNull, 'a number or null'],
  ['options.cores', isNumber, 'a number'],
  ['options.proxyCores', isNumber, 'a number'],
  ['options.label', isStringOrNull, 'a string or null'],
  ['throughputRps', isNumber, 'a number'],
  ['latencyMs.p50', isNumber, 'a number'],
  ['latencyMs.p99', isNumber, 'a number'],
  ['requests.non2xx', isNumber, 'a number'],
  ['requests.errors', isNumber, 'a number'],
  ['hostnames', isCounts, 'counts by hostname'],
  ['model.capacityRps', isNumberOrNull, 'a number or null'],
  ['model.effectiveCores', isNumber, 'a number'],
  // Missing in files from before the model counted other work: those took none.
  ['model.otherCores', isNumberOrMissing, 'a number'],
  ['model.throughputRatio', isNumberOrNull, 'a number or null'],
  ['model.limit', isString, 'a string'],
];

function at(value: unknown, path: string): unknown {
  let here = value;
  for (const key of path.split('.')) {
    if (typeof here !== 'object' || here === null) return undefined;
    here = (here as Record<string, unknown>)[key];
  }
  return here;
}

/** The result a loadgen JSON report holds; throws NotABenchResultError for anything else. */
export function parseBenchResult(text: string): BenchResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new NotABenchResultError('not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new NotABenchResultError('not a JSON object');
  }
  for (const [path, check, expected] of FIELDS) {
    const field = at(value, path);
    if (!check(field)) {
      throw new NotABenchResultError(`${path} is ${field === undefined ? 'missing' : `not ${expected}`}`);
    }
  }
  return value as BenchResult;
}
