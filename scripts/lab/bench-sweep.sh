#!/usr/bin/env bash
# The bench at 1, 2 ... MAX replicas, one after another, then one report of throughput and p99
# against replicas; the lab goes back to the number of replicas it had.
#   scripts/lab/bench-sweep.sh MAX     (make bench-sweep SWEEP_MAX=6)
set -euo pipefail
cd "$(dirname "$0")/../.."
max=${1:-4}
[[ $max =~ ^[1-9][0-9]?$ ]] || { echo "$0: SWEEP_MAX=\"$max\" is not allowed: expected a whole number from 1 to 99" >&2; exit 2; }
compose=(docker compose)

"${compose[@]}" --progress quiet build loadgen
before=$("${compose[@]}" ps -q hello | wc -l)
files=()
for n in $(seq 1 "$max"); do
  echo "==> $n of $max replicas"
  "${compose[@]}" --progress quiet up -d --no-recreate --wait --scale "hello=$n"
  "${compose[@]}" run --rm --no-deps loadgen --quiet --label "$n of $max replicas" \
    --reports "/reports/sweep/replicas-$n" >/dev/null
  files+=("/reports/sweep/replicas-$n/bench-latest.json")
done
"${compose[@]}" run --rm --no-deps --entrypoint node loadgen services/loadgen/dist/sweep.js --reports /reports "${files[@]}"
echo "==> back to $before replicas"
"${compose[@]}" --progress quiet up -d --no-recreate --wait --scale "hello=$before"
