#!/usr/bin/env bash
# A rolling update of the hello replicas to VERSION while they serve: for each old replica, start
# one of the new version, wait until it is healthy, then stop an old one gracefully (it fails its
# readiness, answers what it has in flight, refuses the rest, which nginx retries on another
# replica) and remove it. The number of replicas never drops below what it was.
#   scripts/lab/rollout.sh VERSION [STEP]     STEP replicas at a time (1)
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lab/lab-events.sh

version=${1:-}
step=${2:-1}
[[ $version =~ ^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$ ]] ||
  die "VERSION=\"$version\" is not allowed: expected 1 to 64 letters, digits, dots, dashes or underscores"
[[ $step =~ ^[1-9][0-9]*$ ]] || die "STEP=\"$step\" is not allowed: expected a whole number of at least 1"

mapfile -t all < <(replicas)
[ "${#all[@]}" -gt 0 ] || die "no hello replica is running: start the lab first (make up)"
old=()
for id in "${all[@]}"; do [ "$(version_of "$id")" = "$version" ] || old+=("$id"); done
if [ "${#old[@]}" -eq 0 ]; then
  echo "every replica already runs v$version"
  exit 0
fi
from=$(version_of "${old[0]}")
total=${#all[@]}

echo "==> building hello-web:v$version"
APP_VERSION=$version docker compose --progress quiet build hello

event rollout-start "v$from -> v$version, ${#old[@]} of $total replicas, $step at a time"
while [ "${#old[@]}" -gt 0 ]; do
  batch=("${old[@]:0:$step}")
  old=("${old[@]:${#batch[@]}}")
  before=$(replicas)
  # Surge: the new replicas start beside the old ones.
  APP_VERSION=$version docker compose --progress quiet up -d --no-recreate --no-deps \
    --scale hello=$((total + ${#batch[@]})) hello
  for id in $(comm -13 <(sort <<<"$before") <(replicas | sort)); do
    wait_healthy "$id" 60 || die "the new replica $(docker inspect -f '{{.Name}}' "$id") is not healthy after 60 s; the old ones still serve"
  done
  for id in "${batch[@]}"; do
    name=$(docker inspect -f '{{.Name}}' "$id" | tr -d /)
    # SIGTERM, then up to 10 s to drain: hello finishes what it has in flight and exits.
    docker stop -t 10 "$id" >/dev/null
    docker rm "$id" >/dev/null
    event rollout-step "$name (v$from) replaced by v$version"
  done
done
mkdir -p .lab
printf 'APP_VERSION=%s\n' "$version" >.lab/deployed
printf 'APP_VERSION=%s\n' "$from" >.lab/previous
event rollout-done "all $total replicas run v$version"
