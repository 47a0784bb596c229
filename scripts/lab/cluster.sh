#!/usr/bin/env bash
# A swarm of several Docker nodes on this machine: each node a Docker-in-Docker container, a
# registry they pull from, and the lab's stack (swarm/stack.yaml with swarm/cluster.yaml) on top,
# deployed through scripts/lab/swarm.sh; mk/cluster.mk's targets call it.
#   scripts/lab/cluster.sh up NODES | add | drain NODE | kill NODE | back NODE | scale N
#                          | rollout VERSION | rollback | bench | ps | down
# Node operations and rollouts append events to reports/events.jsonl (scripts/lab/lab-events.sh),
# so that a bench running meanwhile (cluster.sh bench) marks them in its report's timeline.
# CLUSTER (hello-lab) prefixes every container, volume and network it makes: CLUSTER-node-1..N,
# CLUSTER-registry, the network CLUSTER-cluster, all labelled hello-lab.cluster=CLUSTER.
# CLUSTER_HTTP_PORT (8190) is nginx's port on 127.0.0.1, CLUSTER_REGISTRY_PORT (8191) the
# registry's, where this machine pushes the images. CLUSTER_NODE_IMAGE and CLUSTER_REGISTRY_IMAGE
# pick the images (else docker:dind and registry:2, or Debian stand-ins where no registry answers).
set -euo pipefail
cd "$(dirname "$0")/../.."
command=${1:-}
arg=${2:-}
# shellcheck source=scripts/lab/lab-events.sh
. scripts/lab/lab-events.sh
die() { echo "cluster-$command: $1" >&2; exit "${2:-1}"; }
MAX_NODES=9

# Every setting is checked before the engine is asked anything.
cluster=${CLUSTER:-hello-lab}
[[ $cluster =~ ^[a-z][a-z0-9-]{0,29}$ ]] ||
  die "CLUSTER=\"$cluster\" is not allowed: expected 1 to 30 lower-case letters, digits or dashes, starting with a letter" 2
valid_port() {
  [[ $2 =~ ^[1-9][0-9]{3,4}$ ]] && [ "$2" -le 65535 ] ||
    die "$1=\"$2\" is not allowed: expected a port from 1024 to 65535" 2
}
http_port=${CLUSTER_HTTP_PORT:-8190}
valid_port CLUSTER_HTTP_PORT "$http_port"
registry_port=${CLUSTER_REGISTRY_PORT:-8191}
valid_port CLUSTER_REGISTRY_PORT "$registry_port"
[ "$http_port" != "$registry_port" ] || die "CLUSTER_HTTP_PORT and CLUSTER_REGISTRY_PORT are both $http_port: expected two ports" 2
# A node of the cluster other than the manager: node 1 carries nginx's published port.
valid_node() {
  [[ $arg =~ ^[0-9]+$ ]] && [ "$arg" -ge 2 ] && [ "$arg" -le "$MAX_NODES" ] ||
    die "NODE=\"$arg\" is not allowed: expected a node from 2 to $MAX_NODES (node 1 is the manager, which carries nginx's port)" 2
}
case $command in
  up)
    [[ $arg =~ ^[1-9][0-9]*$ ]] && [ "$arg" -le "$MAX_NODES" ] ||
      die "NODES=\"$arg\" is not allowed: expected a whole number of nodes from 1 to $MAX_NODES" 2
    ;;
  drain | kill | back) valid_node ;;
  scale) [[ $arg =~ ^[0-9]{1,2}$ ]] || die "N=\"$arg\" is not allowed: expected a whole number of replicas from 0 to 99" 2 ;;
  rollout)
    [[ $arg =~ ^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$ ]] ||
      die "VERSION=\"$arg\" is not allowed: expected 1 to 64 letters, digits, dots, dashes or underscores" 2
    ;;
  add | rollback | bench | ps | down) ;;
  *)
    echo "cluster.sh: \"$command\" is not a command: expected up NODES, add, drain NODE, kill NODE, back NODE, scale N, rollout VERSION, rollback, bench, ps or down" >&2
    exit 2
    ;;
esac

label=hello-lab.cluster=$cluster
network=$cluster-cluster
registry=$cluster-registry
stack=${SWARM_STACK:-hello-lab}
hello=${stack}_hello
node() { echo "$cluster-node-$1"; }
# The docker client on node N (the manager is node 1).
on() { local n=$1; shift; docker exec "$(node "$n")" docker "$@"; }
# The stack goes through swarm.sh with the manager's engine as its docker.
manager_url() {
  echo "tcp://$(docker inspect --format "{{(index .NetworkSettings.Networks \"$network\").IPAddress}}" "$(node 1)"):2375"
}
swarm() {
  DOCKER_HOST=$(manager_url) SWARM_STACK=$stack SWARM_HTTP_PORT=$http_port SWARM_REGISTRY=$registry:5000 \
    SWARM_FILES="swarm/stack.yaml swarm/cluster.yaml" bash scripts/lab/swarm.sh "$@"
}
exists() { docker inspect --type "$1" "$2" >/dev/null 2>&1; }
running() { [ "$(docker inspect --format '{{.State.Running}}' "$1" 2>/dev/null)" = true ]; }
# The node numbers that have a container, in order.
numbers() {
  docker ps -a --filter "label=$label" --filter "label=hello-lab.cluster.node" --format '{{.Label "hello-lab.cluster.node"}}' | sort -n
}
# until SECONDS WHAT CHECK...: polls CHECK every half second; fails naming WHAT after SECONDS.
until_true() {
  local limit=$1 what=$2; shift 2
  local deadline=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || die "$what did not happen within $limit s"
    sleep 0.5
  done
}
# Elapsed time since a start taken with now(), in seconds with one decimal.
now() { date +%s%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }'; }

# The official image where a registry answers, else the stand-in from Debian's packages
# (scripts/setup/cluster-images.sh, built once).
pick_image() {
  local chosen=$1 official=$2 standin=$3
  if [ -n "$chosen" ]; then echo "$chosen"; return; fi
  if exists image "$official" || timeout 120 docker pull -q "$official" >/dev/null 2>&1; then echo "$official"; return; fi
  exists image "$standin" || bash scripts/setup/cluster-images.sh >&2 || die "cannot build the stand-in $standin"
  echo "$standin"
}

# Docker-in-Docker needs most of what --privileged gives, which fails on machines whose
# capability bounding set lacks CAP_SYS_RESOURCE: every other capability by name, no seccomp or
# AppArmor profile, the devices and the cgroups. A simulation of machines, never for production.
NODE_CAPS=(AUDIT_CONTROL AUDIT_READ AUDIT_WRITE BLOCK_SUSPEND CHOWN DAC_OVERRIDE DAC_READ_SEARCH
  FOWNER FSETID IPC_LOCK IPC_OWNER KILL LEASE LINUX_IMMUTABLE MAC_ADMIN MAC_OVERRIDE MKNOD NET_ADMIN
  NET_BIND_SERVICE NET_BROADCAST NET_RAW SETFCAP SETGID SETPCAP SETUID SYS_ADMIN SYS_BOOT SYS_CHROOT
  SYS_MODULE SYS_NICE SYS_PACCT SYS_PTRACE SYS_RAWIO SYS_TIME SYS_TTY_CONFIG SYSLOG WAKE_ALARM)

# start_node N IMAGE: node N's container, started (or started again) and its engine answering.
start_node() {
  local n=$1 image=$2 name
  name=$(node "$n")
  if ! exists container "$name"; then
    # The socket named, so that docker:dind's entrypoint adds no TCP port of its own.
    local caps=() publish=() api=(--host unix:///var/run/docker.sock)
    for cap in "${NODE_CAPS[@]}"; do caps+=(--cap-add "$cap"); done
    if [ "$n" = 1 ]; then
      publish=(-p "127.0.0.1:$http_port:$http_port")
      # The manager's API, for swarm.sh and `docker stack deploy` from this machine: on the
      # cluster's own network only, which nothing but this machine and the cluster reaches.
      api+=(--host tcp://0.0.0.0:2375 --tls=false)
    fi
    docker volume create --label "$label" "$name" >/dev/null
    docker run -d --name "$name" --hostname "$name" --network "$network" \
      --label "$label" --label "hello-lab.cluster.node=$n" \
      "${caps[@]}" --security-opt seccomp=unconfined --security-opt apparmor=unconfined \
      --security-opt systempaths=unconfined --device-cgroup-rule 'a *:* rwm' \
      -v /sys/fs/cgroup:/sys/fs/cgroup:rw --tmpfs /run -v "$name:/var/lib/docker" \
      --memory 1g --pids-limit 4096 -e DOCKER_TLS_CERTDIR= "${publish[@]}" "$image" \
      dockerd "${api[@]}" --insecure-registry "$registry:5000" --cgroup-parent "/$name" >/dev/null
  elif [ "$(docker inspect --format '{{.State.Paused}}' "$name")" = true ]; then
    docker unpause "$name" >/dev/null
  elif ! running "$name"; then
    docker start "$name" >/dev/null
  fi
  until_true 90 "$name's engine answering" on "$n" info
}

swarm_state() { on "$1" info --format '{{.Swarm.LocalNodeState}}' 2>/dev/null; }
# join N: node N joins node 1's swarm as a worker, unless it is in it already.
join() {
  [ "$(swarm_state "$1")" = active ] && return
  on "$1" swarm join --token "$(on 1 swarm join-token -q worker)" "$(node 1):2377" >/dev/null
}
node_status() { on 1 node inspect --format '{{.Status.State}} {{.Spec.Availability}}' "$(node "$1")" 2>/dev/null; }
ready() { [ "$(node_status "$1")" = "ready active" ]; }
marked_down() { [ "$(on 1 node inspect --format '{{.Status.State}}' "$1")" = down ]; }

# The nodes that run the stack's hello tasks, one line a running task.
task_nodes() { on 1 service ps --filter desired-state=running --format '{{.Node}} {{.CurrentState}}' "$hello" 2>/dev/null; }
replicas() { on 1 service inspect --format '{{.Spec.Mode.Replicated.Replicas}}' "$hello"; }
# Every replica running, none on node $1.
moved_off() {
  local tasks
  tasks=$(task_nodes)
  [ "$(grep -c ' Running' <<<"$tasks")" = "$(replicas)" ] && ! grep -q "^$(node "$1") " <<<"$tasks"
}
tasks_on() { task_nodes | grep -c "^$(node "$1") " || true; }
elsewhere() { task_nodes | awk '/ Running/ { print $1 }' | sort | uniq -c | awk '{ printf "%s%s (%s)", sep, $2, $1; sep = ", " }'; }

# push IMAGE: from this machine's engine to the cluster's registry.
push() {
  local target=127.0.0.1:$registry_port/$1
  docker tag "$1" "$target"
  docker push -q "$target" >/dev/null
  # The registry has it now; the local tag would only be clutter.
  docker image rm "$target" >/dev/null
}

# push_version VERSION: the stack's images at that version, built here where missing, into the
# registry that the nodes pull from.
push_version() {
  local images image
  images=$(bash scripts/lab/swarm.sh images "$1")
  for image in $images; do push "$image"; done
  echo "pushed to $registry:5000:" $images
}

check_manager() { running "$(node 1)" || die "no cluster \"$cluster\" runs here; start one with: make cluster-up NODES=3" 2; }

case $command in
up)
  nodes=$arg
  version=${APP_VERSION:?APP_VERSION is not set}
  node_image=$(pick_image "${CLUSTER_NODE_IMAGE:-}" docker:dind standin/dind:28)
  registry_image=$(pick_image "${CLUSTER_REGISTRY_IMAGE:-}" registry:2 standin/registry:2)
  exists network "$network" || docker network create --label "$label" "$network" >/dev/null
  if ! exists container "$registry"; then
    docker volume create --label "$label" "$registry" >/dev/null
    # Only this machine pushes (on 127.0.0.1, which Docker lets through without TLS); the
    # nodes pull over the cluster's network.
    docker run -d --name "$registry" --network "$network" --label "$label" \
      --read-only --cap-drop ALL --security-opt no-new-privileges --memory 256m --pids-limit 256 \
      -v "$registry:/var/lib/registry" -p "127.0.0.1:$registry_port:5000" "$registry_image" >/dev/null
  elif ! running "$registry"; then
    docker start "$registry" >/dev/null
  fi
  start=$(now)
  pids=()
  for n in $(seq "$nodes"); do start_node "$n" "$node_image" & pids+=($!); done
  for pid in "${pids[@]}"; do wait "$pid"; done
  [ "$(swarm_state 1)" = active ] || on 1 swarm init --advertise-addr eth0 >/dev/null
  for n in $(seq 2 "$nodes"); do join "$n"; done
  for n in $(seq "$nodes"); do until_true 60 "$(node "$n") ready in the swarm" ready "$n"; done
  echo "cluster $cluster: $nodes nodes in a swarm in $(since "$start") s, $(node 1) the manager"
  until_true 30 "the registry answering" curl -sf "http://127.0.0.1:$registry_port/v2/"
  push_version "$version"
  APP_VERSION=$version swarm up
  echo "replicas on: $(elsewhere)"
  ;;
add)
  check_manager
  last=$(numbers | tail -n 1)
  n=$((last + 1))
  [ "$n" -le "$MAX_NODES" ] || die "the cluster has $last nodes already: $MAX_NODES at most" 2
  start=$(now)
  event node-add "$(node "$n") starting"
  start_node "$n" "$(docker inspect --format '{{.Config.Image}}' "$(node 1)")"
  join "$n"
  until_true 60 "$(node "$n") ready in the swarm" ready "$n"
  event node-ready "$(node "$n") ready in the swarm after $(since "$start") s"
  echo "node-add: $(node "$n") joined the swarm in $(since "$start") s; make cluster-scale puts new replicas on it"
  ;;
drain)
  check_manager
  name=$(node "$arg")
  exists container "$name" || die "there is no node $arg ($name)" 2
  had=$(tasks_on "$arg")
  start=$(now)
  event node-drain "$name ($had task(s))"
  on 1 node update --availability drain "$name" >/dev/null
  until_true 120 "the tasks' move off $name" moved_off "$arg"
  event node-drained "$name empty after $(since "$start") s"
  echo "node-drain: $name drained in $(since "$start") s; its $had task(s) moved, replicas on: $(elsewhere)"
  ;;
kill)
  check_manager
  name=$(node "$arg")
  running "$name" || die "node $arg ($name) is not running" 2
  had=$(tasks_on "$arg")
  start=$(now)
  # A power cut: the machine and everything on it stop at once, nothing is told.
  event node-kill "$name ($had task(s))"
  docker kill "$name" >/dev/null
  until_true 120 "the manager marking $name down" marked_down "$name"
  detect=$(since "$start")
  event node-down "$name marked down after $detect s"
  until_true 120 "the tasks of $name running elsewhere" moved_off "$arg"
  event rescheduled "the tasks of $name running elsewhere after $(since "$start") s"
  echo "node-kill: $name killed; marked down after $detect s, its $had task(s) running elsewhere after $(since "$start") s"
  ;;
back)
  check_manager
  name=$(node "$arg")
  exists container "$name" || die "there is no node $arg ($name)" 2
  start=$(now)
  event node-back "$name"
  start_node "$arg" "$(docker inspect --format '{{.Config.Image}}' "$name")"
  on 1 node update --availability active "$name" >/dev/null
  until_true 120 "$name ready and active" ready "$arg"
  event node-ready "$name ready and active after $(since "$start") s"
  # Swarm never moves a running task to balance the nodes again: new tasks go there first.
  echo "node-back: $name ready and active after $(since "$start") s; make cluster-scale or a rollout puts tasks on it"
  ;;
scale)
  check_manager
  swarm scale "$arg"
  echo "replicas on: $(elsewhere)"
  ;;
rollout)
  # cluster-up pushed only the version it started with: this one goes to the registry first, so
  # that the nodes can pull it.
  check_manager
  event rollout "to hello-web:v$arg"
  push_version "$arg"
  swarm rollout "$arg"
  event rollout-done "hello-web:v$arg on every replica"
  echo "replicas on: $(elsewhere)"
  ;;
rollback)
  check_manager
  event rollback "to the version before the last rollout"
  swarm rollback
  event rollback-done "the previous version on every replica"
  ;;
bench)
  # The load generator of make bench, on the cluster's network, to the manager's nginx: the
  # same way in as 127.0.0.1:CLUSTER_HTTP_PORT, without this machine's port forwarding.
  check_manager
  docker compose --progress quiet build loadgen
  mkdir -p "${REPORTS_HOST_DIR:?REPORTS_HOST_DIR is not set}"
  # The settings compose.yaml gives make bench's load generator, as this environment sets them
  # (empty means unset there too), but its own target. (`command`: node() here names a node.)
  mapfile -t settings < <(docker compose config --format json loadgen | command node -e '
    const { environment = {} } = JSON.parse(require("fs").readFileSync(0, "utf8")).services.loadgen;
    for (const [name, value] of Object.entries(environment))
      if (name !== "TARGET_URL") console.log(`-e\n${name}=${value}`);
  ')
  # Named, so that it can be stopped from elsewhere (docker kill --signal INT CLUSTER-bench): like
  # Ctrl-C, that ends the run early and still writes its report.
  docker run --rm --init --name "$cluster-bench" --network "$network" --label "$label" \
    --read-only --cap-drop ALL --security-opt no-new-privileges --cpus 1 --memory 256m --pids-limit 64 \
    --user "${LOADGEN_USER:-1000:1000}" -v "$REPORTS_HOST_DIR:/reports" \
    -e "TARGET_URL=http://$(node 1):$http_port/" "${settings[@]}" hello-lab-loadgen:latest
  ;;
ps)
  check_manager
  on 1 node ls
  swarm ps
  ;;
down)
  containers=$(docker ps -aq --filter "label=$label")
  [ -z "$containers" ] || docker rm -f -v $containers >/dev/null
  volumes=$(docker volume ls -q --filter "label=$label")
  [ -z "$volumes" ] || docker volume rm $volumes >/dev/null
  ! exists network "$network" || docker network rm "$network" >/dev/null
  # The nodes' containers had cgroups of their own beside the engine's (--cgroup-parent):
  # empty now, and only these directories are this cluster's.
  find /sys/fs/cgroup -mindepth 1 -maxdepth 2 -type d -name "$cluster-node-*" 2>/dev/null |
    while read -r dir; do find "$dir" -depth -type d -exec rmdir {} + 2>/dev/null || true; done
  echo "cluster $cluster down: nodes, registry, volumes and network removed (the node and registry images stay)"
  ;;
esac
