#!/usr/bin/env bash
# A bench of DURATION seconds with one fault halfway through (make chaos): the fault script waits
# until the bench measures, so the halfway mark holds however long the load generator takes to start.
#   scripts/lab/chaos-bench.sh FAULT DURATION
set -euo pipefail
cd "$(dirname "$0")/../.."
fault=${1:-kill}
duration=${2:-20}
[[ $duration =~ ^[1-9][0-9]*$ ]] || { echo "$0: DURATION=\"$duration\" is not allowed: expected a whole number of seconds" >&2; exit 2; }

docker compose --progress quiet build loadgen
AFTER_BENCH=1 bash scripts/lab/chaos.sh "$fault" $((duration / 2)) &
fault_pid=$!
status=0
DURATION=$duration docker compose run --rm --no-deps loadgen || status=$?
wait "$fault_pid" || status=$?
exit "$status"
