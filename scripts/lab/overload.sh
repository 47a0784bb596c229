#!/usr/bin/env bash
# Overload side by side (make overload): closed-loop loads of CLIENTS keep-alive connections, far
# past what the replicas answer, each run with the replicas' queue bound on (the default) and off
# (QUEUE_MAX_WAIT_MS=0), and one row per run of what nginx's own log says of it (good answers a
# second, refusals, attempts per request). A first run at 30 clients measures the capacity beside
# them. The replicas are recreated with their defaults at the end, also when a run fails.
#   scripts/lab/overload.sh      CLIENTS ("1000 3000"), DURATION (15 s a run) from the environment
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lab/lab-events.sh

clients=${CLIENTS:-1000 3000}
duration=${DURATION:-15}
refuse() {
  echo "overload: $1" >&2
  exit 2
}
{ [[ $duration =~ ^[1-9][0-9]*$ ]] && ((duration <= 600)); } ||
  refuse "DURATION=\"$duration\" is not allowed: expected a whole number of seconds from 1 to 600"
for c in $clients; do
  { [[ $c =~ ^[1-9][0-9]*$ ]] && ((c <= 5000)); } ||
    refuse "CLIENTS=\"$clients\" is not allowed: expected whole numbers from 1 to 5000, such as \"1000 3000\""
done
[ -n "${clients// /}" ] || refuse "CLIENTS is empty: expected whole numbers from 1 to 5000, such as \"1000 3000\""

docker compose --progress quiet build loadgen
n=$(docker compose ps -q --status running hello | wc -l)
((n > 0)) || die "no hello replica is running: start the lab with make up"
scratch=$(mktemp -d)
chmod 777 "$scratch"

replicas_with() {
  QUEUE_MAX_WAIT_MS=$1 docker compose --progress quiet up -d --wait --no-deps --scale "hello=$n" hello
}
restore() {
  replicas_with "" >/dev/null 2>&1 || echo "overload: could not recreate the replicas: run make up" >&2
  rm -rf "$scratch"
}
trap restore EXIT

# One run: the load generator inside the lab's network (no host port in the path), then nginx's
# log lines of that run, once nginx has flushed them (it writes its log in buffers, every second):
# read until two reads in a row hold as many lines, and the last read is the one counted.
run() {
  local connections=$1 bound=$2 since lines before=-1 log=$scratch/nginx.log
  since=$(date -u +%Y-%m-%dT%H:%M:%S.%NZ)
  REPORTS_HOST_DIR=$scratch docker compose --progress quiet run --rm --no-deps \
    -e CONNECTIONS="$connections" -e DURATION="$duration" -e WARMUP=0 loadgen >/dev/null
  for _ in $(seq 20); do
    docker compose logs --no-log-prefix --since "$since" nginx >"$log" 2>/dev/null || true
    lines=$(grep -c '^{' "$log" || true)
    [ "$lines" = "$before" ] && break
    before=$lines
    sleep 1.5
  done
  node scripts/lab/upstream-attempts.mjs "$duration" "$connections" "$bound" <"$log"
}

{
  printf 'clients\tqueue bound\tgood answers\trefused (503)\trefused within 50 ms\tgiven up (499)\tother\tattempts per request\tp50\tp99\tmax\n'
  run 30 on
  for c in $clients; do run "$c" on; done
  replicas_with 0
  for c in $clients; do run "$c" off; done
} | column -t -s $'\t'
echo "good answers, p50, p99 and max: the 200s; 30 clients is the capacity. Attempts: the replicas nginx tried per request, from its log."
