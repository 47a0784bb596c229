#!/usr/bin/env bash
# The balancing strategies side by side (make strategies): one replica made slow for the whole
# comparison, then the same closed-loop load through each of nginx's strategies in turn, on the
# proxy's ports for them (nginx/strategies.conf), and one report. The replica is healed at the
# end, also when the comparison fails or is stopped.
#   scripts/lab/strategies.sh      DURATION, CONNECTIONS, WARMUP, AMOUNT from the environment
# The slow replica is the running one with the lowest number (hello-lab-hello-1 is 1).
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lab/lab-events.sh

# Half speed: the busy loop twice over.
factor=2
duration=${DURATION:-}
connections=${CONNECTIONS:-}
rate=${RATE:-}
# A bad setting is the caller's to fix: one line naming it and what is allowed, exit 2, before
# the engine is asked anything. The bounds are the load generator's (services/loadgen/src/options.ts).
refuse() {
  echo "strategies: $1" >&2
  exit 2
}
if [ -n "$duration" ]; then
  [[ $duration =~ ^[0-9]+(\.[0-9]+)?$ ]] && awk -v d="$duration" 'BEGIN { exit !(d > 0) }' ||
    refuse "DURATION=\"$duration\" is not allowed: expected a number of seconds greater than 0"
fi
if [ -n "$connections" ]; then
  [[ $connections =~ ^[0-9]+$ ]] && ((10#$connections >= 1 && 10#$connections <= 5000)) ||
    refuse "CONNECTIONS=\"$connections\" is not allowed: expected a whole number from 1 to 5000"
fi
[ -z "$rate" ] ||
  refuse "RATE=\"$rate\" is not allowed: expected no rate: the strategies are compared in a closed loop"

docker compose --progress quiet build loadgen
# A proxy built before the strategies has none of their ports: say so rather than fail five times.
docker compose exec -T nginx test -f /etc/nginx/strategies.conf ||
  die "the running nginx has no strategy ports (nginx/strategies.conf): rebuild it with make up"

mapfile -t running < <(docker compose ps -q --status running hello |
  xargs -r docker inspect -f '{{index .Config.Labels "com.docker.compose.container-number"}}' | sort -n)
[ "${#running[@]}" -ge 2 ] ||
  die "${#running[@]} hello replica(s) running: the comparison needs at least 2 (make scale N=3)"
slow=${running[0]}
hostname=$(docker compose exec -T --index "$slow" hello cat /etc/hostname)

heal() {
  FACTOR='' SHARE='' bash scripts/lab/sick.sh heal "$slow" || echo "$0: replica $slow was not healed: make heal REPLICA=$slow" >&2
}
trap heal EXIT
FACTOR=$factor SHARE='' bash scripts/lab/sick.sh slow "$slow"

docker compose run --rm --no-deps -e SLOW_REPLICA="$hostname" -e SLOW_FACTOR="$factor" \
  --entrypoint node loadgen services/loadgen/dist/strategies/main.js
