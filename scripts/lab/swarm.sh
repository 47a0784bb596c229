#!/usr/bin/env bash
# The lab as a swarm stack (swarm/stack.yaml) on the swarm this engine manages; mk/swarm.mk's
# targets call it. A single-node swarm is enough: docker swarm init --advertise-addr 127.0.0.1
#   scripts/lab/swarm.sh up | scale N | rollout VERSION | rollback | ps | down | images VERSION
# SWARM_STACK (hello-lab), SWARM_HTTP_PORT (8080), GREETING (Hello), APP_VERSION (from .env),
# SWARM_MONITOR (10s: how long a rolling update watches each new task). On a cluster of several
# nodes (scripts/lab/cluster.sh): SWARM_FILES, the stack's files (swarm/stack.yaml, then any
# overlay), and SWARM_REGISTRY, the registry the nodes pull from, where the images already are.
set -euo pipefail
cd "$(dirname "$0")/../.."
command=${1:-}
stack=${SWARM_STACK:-hello-lab}
hello=${stack}_hello
read -ra files <<<"${SWARM_FILES:-swarm/stack.yaml}"
stack_files=()
for file in "${files[@]}"; do stack_files+=(-c "$file"); done
prefix=${SWARM_REGISTRY:+$SWARM_REGISTRY/}
die() { echo "swarm-$command: $1" >&2; exit "${2:-1}"; }

# Say how to get a swarm manager instead of docker's error.
manager() {
  [ "$(docker info --format '{{.Swarm.ControlAvailable}}')" = true ] ||
    die "this engine is not a swarm manager; start one with: docker swarm init --advertise-addr 127.0.0.1" 2
}
valid_version() {
  [[ $1 =~ ^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$ ]] ||
    die "VERSION=\"$1\" is not allowed: expected 1 to 64 letters, digits, dots, dashes or underscores" 2
}
# `docker stack deploy` builds nothing: the images come from compose's build of the same files,
# or, on a cluster, from its registry (the nodes pull them; this engine is not one of them).
# The stack's services whose images this project builds (compose.yaml builds the same).
services=(hello nginx prometheus)
images() { [ -n "$prefix" ] || APP_VERSION=$1 docker compose --progress quiet build "${services[@]}"; }
update_state() { docker service inspect --format '{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}' "$hello"; }

case $command in
up)
  # The settings first, as hello checks them at start-up: a bad one would only show as tasks
  # that keep restarting, or as docker's error halfway through the deploy.
  greeting=${GREETING:-Hello}
  LC_ALL=C.UTF-8
  [[ $greeting =~ ^[[:alpha:]]{1,32}$ ]] ||
    die "GREETING=\"$greeting\" is not allowed: expected one word of 1 to 32 letters" 2
  version=${APP_VERSION:?APP_VERSION is not set}
  valid_version "$version"
  [[ ${SWARM_MONITOR:-10s} =~ ^[1-9][0-9]{0,3}s$ ]] ||
    die "SWARM_MONITOR=\"${SWARM_MONITOR:-}\" is not allowed: expected whole seconds from 1 to 9999, such as 10s" 2
  manager
  images "$version"
  # The secret goes to swarm from a private file that exists only for the deploy.
  umask 077
  secret=$(mktemp)
  trap 'rm -f "$secret"' EXIT
  printf '%s\n' "$greeting" >"$secret"
  echo "docker stack deploy ${stack_files[*]} $stack"
  GREETING_SECRET_FILE=$secret GREETING_ID=$(sha256sum <"$secret" | cut -c1-12) APP_VERSION=$version \
    docker stack deploy --detach=false --quiet --resolve-image never "${stack_files[@]}" "$stack"
  echo "stack $stack up: http://127.0.0.1:${SWARM_HTTP_PORT:-8080}/"
  ;;
scale)
  manager
  [[ ${2:-} =~ ^[0-9]+$ ]] || die "N=\"${2:-}\" is not allowed: expected a whole number" 2
  docker service scale --detach=false "$hello=$2"
  ;;
rollout)
  version=${2:-}
  valid_version "$version"
  manager
  images "$version"
  docker service update --detach=false --quiet --no-resolve-image --image "${prefix}hello-web:v$version" "$hello"
  # docker service update returns 0 when a failed update starts rolling back, before it is done:
  # wait for the rollback, then fail with one line.
  case "$(update_state)" in rollback*)
    for _ in $(seq 120); do [ "$(update_state)" = rollback_started ] || break; sleep 1; done
    die "hello-web:v$version failed its healthcheck or exited; the stack is back on its previous version" ;;
  esac
  ;;
rollback)
  manager
  docker service rollback --detach=false --quiet "$hello"
  ;;
ps)
  docker stack services "$stack"
  docker stack ps --no-trunc --format 'table {{.Name}}\t{{.Node}}\t{{.Image}}\t{{.CurrentState}}\t{{.Error}}' "$stack"
  ;;
down)
  if [ "$(docker info --format '{{.Swarm.LocalNodeState}}')" = inactive ]; then
    echo "swarm-down: this engine is in no swarm: no stack to remove"
    exit 0
  fi
  echo "docker stack rm $stack"
  docker stack rm "$stack"
  # Swarm removes a stack's containers and network in the background, after its services.
  leftovers() {
    docker ps -aq --filter "label=com.docker.stack.namespace=$stack"
    docker network ls -q --filter "label=com.docker.stack.namespace=$stack"
  }
  for _ in $(seq 60); do [ -z "$(leftovers)" ] && exit 0; sleep 1; done
  die "the stack's containers or network are still there after 60 s"
  ;;
images)
  # Built on this engine and listed, one a line: a cluster pushes them to its registry.
  version=${2:-}
  valid_version "$version"
  APP_VERSION=$version docker compose --progress quiet build "${services[@]}"
  APP_VERSION=$version docker compose config --images "${services[@]}"
  ;;
*)
  echo "swarm.sh: \"$command\" is not a command: expected up, scale N, rollout VERSION, rollback, ps, down or images VERSION" >&2
  exit 2
  ;;
esac
