#!/usr/bin/env bash
# One fault, injected into the running lab while a bench runs (make chaos starts both):
#   kill           SIGKILL to one replica's process: the restart policy brings it back
#   stop           a graceful stop of one replica (it drains), then a start
#   pause          freeze one replica for PAUSE seconds: a hung replica, which nginx times out
#   restart-nginx  restart the proxy itself: what clients see then
#   scripts/lab/chaos.sh FAULT [DELAY]    DELAY seconds before the fault (default 5)
# With AFTER_BENCH=1 (as make chaos runs it) the DELAY counts from the moment the bench it runs
# beside starts measuring, however long the load generator took to start.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lab/lab-events.sh

fault=${1:-kill}
delay=${2:-5}
pause=${PAUSE:-15}
case $fault in kill | stop | pause | restart-nginx) ;; *)
  die "CHAOS=\"$fault\" is not allowed: expected kill, stop, pause or restart-nginx" ;;
esac
[[ $delay =~ ^[0-9]+$ ]] || die "DELAY=\"$delay\" is not allowed: expected a whole number of seconds"
[[ $pause =~ ^[1-9][0-9]*$ ]] || die "PAUSE=\"$pause\" is not allowed: expected a whole number of seconds, at least 1"

if [ "${AFTER_BENCH:-0}" = 1 ]; then
  wait_measuring 120 || die "no bench started measuring within 120 s (no $MEASURING_FILE)"
fi
sleep "$delay"
victim=$(replicas | head -n1)
[ -n "$victim" ] || die "no hello replica is running"
name=$(docker inspect -f '{{.Name}}' "$victim" | tr -d /)
started=$SECONDS
# signal NAME: sends the signal to the replica's own process, the child of its init.
signal() { docker exec "$victim" sh -c "kill -$1 \$(cat /proc/1/task/1/children)"; }

case $fault in
  kill)
    restarts=$(docker inspect -f '{{.RestartCount}}' "$victim")
    # As if it had crashed. (`docker kill` would count as a deliberate stop, which the restart
    # policy respects.)
    signal KILL
    event kill "$name (SIGKILL to its node process)"
    deadline=$((SECONDS + 60))
    until [ "$(docker inspect -f '{{.RestartCount}}' "$victim")" -gt "$restarts" ] &&
      [ "$(health "$victim")" = healthy ]; do
      [ "$SECONDS" -lt "$deadline" ] || die "$name did not come back within 60 s"
      sleep 0.25
    done
    event recovered "$name restarted and healthy after $((SECONDS - started)) s"
    ;;
  stop)
    docker stop -t 10 "$victim" >/dev/null
    event stop "$name stopped gracefully (SIGTERM, drained)"
    sleep 2
    docker start "$victim" >/dev/null
    event start "$name started again"
    wait_healthy "$victim" 60 || die "$name is not healthy 60 s after its start"
    event recovered "$name healthy after $((SECONDS - started)) s"
    ;;
  pause)
    # SIGSTOP to the replica's own process, then SIGCONT: it is frozen as `docker pause` would
    # freeze it, its listening socket still taking connections that nothing answers. Not `docker
    # pause` itself: the engine marks a paused container unhealthy and checks it again only a
    # health interval after the unpause, so `make scale` and `make up` would refuse the lab until
    # then (docs/faults.md). The trap thaws the replica if this script stops midway.
    trap 'signal CONT' EXIT
    signal STOP
    event pause "$name frozen for $pause s (SIGSTOP to its node process)"
    sleep "$pause"
    signal CONT
    trap - EXIT
    event unpause "$name running again (SIGCONT)"
    ;;
  restart-nginx)
    nginx=$(docker compose ps -q nginx)
    event restart-nginx "restarting nginx"
    docker restart -t 10 "$nginx" >/dev/null
    wait_healthy "$nginx" 60 || die "nginx is not healthy 60 s after its restart"
    event recovered "nginx healthy after $((SECONDS - started)) s"
    ;;
esac
