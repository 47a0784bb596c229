#!/usr/bin/env bash
# Makes one hello replica sick, or heals it (make sick, make heal), through the replica's own
# operator port: compose publishes no port of hello and nginx proxies to 8080 only, so the port is
# reached from inside the lab alone. A running bench marks each change (sick, healed).
#   scripts/lab/sick.sh slow|fail|unready|stall REPLICA   FACTOR= for slow, SHARE= for fail
#   scripts/lab/sick.sh heal [REPLICA]                     no REPLICA: every replica
# REPLICA is compose's number of the container (hello-lab-hello-2 is 2), as in `docker compose
# exec --index`. FACTOR, SHARE and their defaults are the service's (services/hello/src/sick.ts).
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lab/lab-events.sh

mode=${1:-}
replica=${2:-}
factor=${FACTOR:-}
share=${SHARE:-}
target=sick
[ "$mode" != heal ] || target=heal
# A bad setting is the caller's to fix: one line naming it and what is allowed, exit 2.
refuse() {
  echo "$target: $1" >&2
  exit 2
}

# The settings first, before the engine is asked anything.
case $mode in slow | fail | unready | stall | heal) ;; *)
  refuse "MODE=\"$mode\" is not allowed: expected one of slow, fail, unready, stall" ;;
esac
if [ -n "$factor" ]; then
  [ "$mode" = slow ] || refuse "FACTOR=\"$factor\" is not allowed: expected no FACTOR with MODE=$mode (FACTOR is for MODE=slow)"
  [[ $factor =~ ^[0-9]+$ ]] && ((10#$factor >= 2 && 10#$factor <= 20)) ||
    refuse "FACTOR=\"$factor\" is not allowed: expected a whole number from 2 to 20"
fi
if [ -n "$share" ]; then
  [ "$mode" = fail ] || refuse "SHARE=\"$share\" is not allowed: expected no SHARE with MODE=$mode (SHARE is for MODE=fail)"
  [[ $share =~ ^[0-9]+(\.[0-9]+)?$ ]] && awk -v share="$share" 'BEGIN { exit !(share >= 0.01 && share <= 1) }' ||
    refuse "SHARE=\"$share\" is not allowed: expected a number from 0.01 to 1"
fi
[ -n "$replica" ] || [ "$mode" = heal ] || refuse "REPLICA=\"\" is not allowed: expected the number of a running replica, such as 2"
[ -z "$replica" ] || [[ $replica =~ ^[1-9][0-9]*$ ]] ||
  refuse "REPLICA=\"$replica\" is not allowed: expected the number of a running replica, such as 2"

# The numbers of the running replicas, in order.
mapfile -t running < <(docker compose ps -q --status running hello |
  xargs -r docker inspect -f '{{index .Config.Labels "com.docker.compose.container-number"}}' | sort -n)
[ "${#running[@]}" -gt 0 ] || die "no hello replica is running: start the lab first (make up)"
if [ -n "$replica" ]; then
  if [[ " ${running[*]} " != *" $replica "* ]]; then
    list=$(printf '%s, ' "${running[@]}")
    refuse "REPLICA=\"$replica\" is not allowed: expected one of the running replicas: ${list%, }"
  fi
  chosen=("$replica")
else
  chosen=("${running[@]}")
fi

# field NAME: that field of the replica's answer, {"hostname":"...","sick":{"mode":"slow","factor":2},...}
field() { sed -n "s/.*\"$1\":\"\{0,1\}\([^\",}]*\).*/\1/p" <<<"$answer"; }

change="mode=$mode${factor:+&factor=$factor}${share:+&share=$share}"
for number in "${chosen[@]}"; do
  # BusyBox's wget, as the healthcheck uses it: the images have no curl.
  answer=$(docker compose exec -T --index "$number" hello \
    wget -q -O - -T 5 --post-data "$change" http://127.0.0.1:8081/sick) ||
    die "replica $number did not take mode=$mode on its operator port"
  where="replica $number ($(field hostname))"
  case $mode in
    slow) event sick "$where slow: GET / runs the busy loop $(field factor) times over" ;;
    fail) event sick "$where fail: a share of $(field share) of its answers to GET / are 500" ;;
    unready) event sick "$where unready: /readyz answers 503, GET / still answers" ;;
    stall) event sick "$where stall: every request on port 8080 waits until make heal" ;;
    heal) event healed "$where answers normally again" ;;
  esac
done
