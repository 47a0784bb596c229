# shellcheck shell=bash
# Sourced by the fault and rollout scripts: what they share.
# event KIND DETAIL: prints a step and appends it to the events file that a running bench reads
# (reports/events.jsonl), so its report marks the moment.
EVENTS_FILE=${REPORTS_HOST_DIR:-reports}/events.jsonl

event() {
  local detail=${2//\\/\\\\}
  mkdir -p "$(dirname "$EVENTS_FILE")"
  printf '{"time":"%s","kind":"%s","detail":"%s"}\n' \
    "$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)" "$1" "${detail//\"/\\\"}" >>"$EVENTS_FILE"
  echo "==> $(date +%T) $1: $2"
}

# wait_measuring SECONDS: true once a bench started after this script is measuring: the load
# generator writes bench-measuring.json beside the events file when its measurement starts.
MEASURING_FILE=$(dirname "$EVENTS_FILE")/bench-measuring.json
SCRIPT_STARTED=$(date +%s)
wait_measuring() {
  local deadline=$((SECONDS + $1))
  while [ "$SECONDS" -lt "$deadline" ]; do
    [ -f "$MEASURING_FILE" ] && [ "$(stat -c %Y "$MEASURING_FILE")" -ge "$SCRIPT_STARTED" ] && return 0
    sleep 0.2
  done
  return 1
}

die() {
  echo "$0: $*" >&2
  exit 1
}

# health CONTAINER: its healthcheck status, or its state when it has none.
health() {
  docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' "$1" 2>/dev/null
}

# wait_healthy CONTAINER SECONDS: true once the container is healthy, false after SECONDS.
wait_healthy() {
  local deadline=$((SECONDS + $2))
  while [ "$SECONDS" -lt "$deadline" ]; do
    [ "$(health "$1")" = healthy ] && return 0
    sleep 0.5
  done
  return 1
}

# The running hello replicas, oldest first.
replicas() {
  docker compose ps -q hello | xargs -r docker inspect -f '{{.Created}} {{.Id}}' | sort | cut -d' ' -f2
}

# version_of CONTAINER: the version its image carries (hello-web:v2 -> 2).
version_of() {
  docker inspect -f '{{.Config.Image}}' "$1" | sed 's/^hello-web:v//'
}
