// Reads nginx's JSON access log (nginx/nginx.conf, log_format json) on stdin and prints one row of
// what it says of the GET / requests in it: good answers a second over DURATION seconds, refusals
// (503) and how fast they came, requests the client gave up on (499), upstream attempts per
// request, and the answers' p50, p99 and max. scripts/lab/overload.sh prints the rows as a table.
//   node scripts/lab/upstream-attempts.mjs DURATION LABEL...
import { createInterface } from 'node:readline';

const [durationArg, ...label] = process.argv.slice(2);
const duration = Number(durationArg);
if (!(duration > 0)) {
  console.error(
    `upstream-attempts: DURATION="${durationArg}" is not allowed: expected seconds greater than 0`,
  );
  process.exit(2);
}

let requests = 0;
let attempts = 0;
let clientGone = 0;
let other = 0;
const answered = [];
const refused = [];
for await (const line of createInterface({ input: process.stdin })) {
  if (!line.startsWith('{')) continue;
  const entry = JSON.parse(line);
  if (!entry.request.startsWith('GET / ')) continue;
  requests += 1;
  // "a, b" when nginx moved on to another replica, "a : b" across its error_page passes.
  attempts += entry.upstream.split(/, | : /).filter((part) => part.trim()).length;
  if (entry.status === 200) answered.push(entry.request_time);
  else if (entry.status === 503 && entry.retry_after) refused.push(entry.request_time);
  else if (entry.status === 499) clientGone += 1;
  else other += 1;
}

const quantile = (values, q) => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
const s = (seconds) => (Number.isNaN(seconds) ? '-' : `${seconds.toFixed(2)} s`);
const fast = refused.filter((t) => t <= 0.05).length;
console.log(
  [
    ...label,
    `${(answered.length / duration).toFixed(0)} req/s`,
    String(refused.length),
    refused.length ? `${((fast / refused.length) * 100).toFixed(0)} %` : '-',
    String(clientGone),
    String(other),
    requests ? (attempts / requests).toFixed(4) : '-',
    s(quantile(answered, 0.5)),
    s(quantile(answered, 0.99)),
    s(answered.length ? Math.max(...answered) : Number.NaN),
  ].join('\t'),
);
