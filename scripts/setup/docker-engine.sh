#!/usr/bin/env bash
# Ensure a running Docker engine (25 or later) with Compose v2 and buildx on a Debian 12
# machine where no daemon runs and no container registry is reachable. Idempotent: when
# everything already answers it prints one line and exits.
set -euo pipefail

LOG=/var/log/hello-lab-dockerd.log
PLUGINS=/usr/local/lib/docker/cli-plugins   # searched by every Docker CLI >= 19.03
MIN_COMPOSE=2.26.0
# The lab's health checks run every second while a container starts, then rarely
# (healthcheck.start_interval, Docker Engine 25 and later).
MIN_ENGINE=25
# Debian 12's engine is 20.10: a newer dockerd and containerd go here, from Debian 13's packages.
ENGINE_DIR=/usr/local/lib/hello-lab/engine
# /usr/local/bin holds a newer client than Debian's; keep it ahead of /usr/bin.
export PATH="/usr/local/bin:$PATH"

step() { echo "==> $*"; }
die() { echo "ERROR: $*" >&2; exit 1; }
engine_up() { docker info >/dev/null 2>&1; }
plugins_up() { docker compose version >/dev/null 2>&1 && docker buildx version >/dev/null 2>&1; }
# major VERSION: the first number of a version such as 20.10.24+dfsg1.
major() { local v=${1#v}; echo "${v%%.*}"; }
engine_new_enough() { [ "$(major "$(docker version --format '{{.Server.Version}}')")" -ge "$MIN_ENGINE" ]; }
running_engine_too_old() {
  engine_new_enough || die "the running engine is Docker $(docker version --format '{{.Server.Version}}'); the lab needs $MIN_ENGINE or later (its health checks' start_interval): stop that engine and run make engine again, or upgrade it"
}

# fetch_debs DIR SUITE:PACKAGE...: the packages' files unpacked into DIR, from the machine's own
# Debian mirror (deb822 first, then one-line format) with a private apt state, so that the
# system's lists, sources and caches stay untouched.
fetch_debs() {
  local dir=$1 uri suites entry
  shift
  uri=$(grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' | grep -v security | head -n1 || true)
  [ -n "$uri" ] || uri=$(sed -E 's/\[[^]]*\]//' /etc/apt/sources.list 2>/dev/null | awk '$1=="deb" && $2 !~ /security/ {print $2; exit}')
  [ -n "$uri" ] || die "no Debian source URI found in /etc/apt/sources.list(.d)"
  suites=$(printf '%s\n' "$@" | cut -d: -f1 | sort -u | paste -sd' ')
  step "fetching ${*#*:} from $uri ($suites, private apt state)"
  local apt="$TMP/apt"
  mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/parts" "$apt/deb"
  : >"$apt/sources.list"
  for entry in $suites; do
    printf 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s %s main\n' "$uri" "$entry" >>"$apt/sources.list"
  done
  local apt_opts=(-qq -o Dir::State::Lists="$apt/lists" -o Dir::Etc::SourceList="$apt/sources.list"
    -o Dir::Etc::SourceParts="$apt/parts" -o Dir::Cache="$apt/cache" -o APT::Sandbox::User=root)
  apt-get "${apt_opts[@]}" update || die "apt-get update of the $suites lists failed"
  rm -f "$apt"/deb/*.deb
  local packages=()
  for entry in "$@"; do packages+=("${entry#*:}/${entry%%:*}"); done
  (cd "$apt/deb" && apt-get "${apt_opts[@]}" download "${packages[@]}") || die "download of ${packages[*]} failed"
  for deb in "$apt"/deb/*.deb; do dpkg -x "$deb" "$dir"; done
}

if engine_up && plugins_up; then
  running_engine_too_old
  echo "docker engine $(docker version --format '{{.Server.Version}}') with compose $(docker compose version --short) and buildx: ready"
  exit 0
fi
[ "$(id -u)" = 0 ] || die "run as root (installs packages and starts dockerd)"

TMP=$(mktemp -d /var/tmp/hello-lab-engine.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

# --- 1. daemon ---------------------------------------------------------------
if ! command -v dockerd >/dev/null; then
  step "installing Debian's docker.io (daemon, containerd, runc, iptables)"
  # No recommends: they pull in needrestart, apparmor, criu, git, ... which we do not need.
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq --no-install-recommends docker.io; } >"$TMP/apt.log" 2>&1 \
    || { tail -n 20 "$TMP/apt.log" >&2; die "apt-get install docker.io failed"; }
fi
# The package also ships an old client (20.10) as /usr/bin/docker; the newer one must win.
if [ -x /usr/local/bin/docker ] && [ "$(command -v docker)" != /usr/local/bin/docker ]; then
  die "docker on PATH is $(command -v docker), expected the newer /usr/local/bin/docker"
fi

if ! engine_up && [ "$(major "$(dockerd --version | awk '{print $3}')")" -lt "$MIN_ENGINE" ] \
  && ! [ -x "$ENGINE_DIR/dockerd" ]; then
  # Debian 13's dockerd, docker-proxy, containerd and shim run on Debian 12's libc; its runc
  # needs a newer one, so Debian 12's runc and docker-init (from docker.io above) stay.
  fetch_debs "$TMP/engine" trixie:docker.io trixie:containerd
  mkdir -p "$ENGINE_DIR"
  for bin in usr/sbin/dockerd usr/sbin/docker-proxy usr/bin/containerd usr/bin/containerd-shim-runc-v2; do
    install -m 0755 "$TMP/engine/$bin" "$ENGINE_DIR/"
  done
fi
if ! engine_up; then
  step "starting dockerd (log: $LOG)"
  # No init system here: run it detached in its own session so it outlives this script. The
  # newer engine, when there is one, comes first on its PATH: dockerd starts containerd from there.
  PATH="$ENGINE_DIR:$PATH" setsid -f dockerd >>"$LOG" 2>&1 </dev/null
  for _ in $(seq 60); do engine_up && break; sleep 1; done
  engine_up || { tail -n 30 "$LOG" >&2; die "dockerd did not answer within 60 s (see $LOG)"; }
fi
step "engine $(docker version --format '{{.Server.Version}}'), storage driver $(docker info --format '{{.Driver}}')"
running_engine_too_old

# --- 2. Compose v2 and buildx plugins ----------------------------------------
if ! plugins_up; then
  # Debian 12 only has Compose v1; newer suites ship both plugins as static Go binaries.
  fetch_debs "$TMP/root" unstable:docker-compose unstable:docker-buildx
  mkdir -p "$PLUGINS"
  for bin in docker-compose docker-buildx; do
    src=$(find "$TMP/root" -type f -name "$bin" -path '*cli-plugins*' | head -n1)
    [ -n "$src" ] || die "$bin not found in its package"
    install -m 0755 "$src" "$PLUGINS/$bin"
  done
fi
compose=$(docker compose version --short 2>/dev/null) || die "docker compose does not answer"
[ "$(printf '%s\n' "$MIN_COMPOSE" "${compose#v}" | sort -V | head -n1)" = "$MIN_COMPOSE" ] \
  || die "docker compose is $compose, need >= $MIN_COMPOSE"
docker buildx version >/dev/null || die "docker buildx does not answer"
step "compose $compose, $(docker buildx version | cut -d' ' -f1-2)"

# --- 3. BuildKit smoke test --------------------------------------------------
# The project's Dockerfiles need RUN --mount=type=cache and type=secret through both
# `docker build` and `docker compose build`. No registry: import a tiny base image
# made of the host's /bin/sh and its libraries.
step "test build with cache and secret mounts (docker build, docker compose build)"
mkdir -p "$TMP/base/bin" "$TMP/ctx"
cp /bin/sh "$TMP/base/bin/sh"
for lib in $(ldd /bin/sh | grep -o '/[^ ]*'); do cp --parents -L "$lib" "$TMP/base"; done
tar -C "$TMP/base" -c . | docker import - hello-lab-enginetest-base:tmp >/dev/null
# shellcheck disable=SC2016  # $v belongs to the shell inside the build
printf 'FROM hello-lab-enginetest-base:tmp\nRUN --mount=type=cache,target=/c --mount=type=secret,id=s,required=true \\\n    read v </run/secrets/s && test "$v" = ok && echo "$v" >/c/x\n' >"$TMP/ctx/Dockerfile"
echo ok >"$TMP/secret"
printf 'services:\n  t:\n    image: hello-lab-enginetest:compose\n    build: {context: ., secrets: [s]}\nsecrets:\n  s: {file: %s}\n' "$TMP/secret" >"$TMP/ctx/compose.yaml"
ok=1
{ docker build --no-cache --secret id=s,src="$TMP/secret" -t hello-lab-enginetest:build "$TMP/ctx" &&
  # Not `build -q`: compose 2.40 then has bake refuse a secret file outside the project
  # folder ("additional privileges requested", fixed by BUILDX_BAKE_ENTITLEMENTS_FS=0).
  docker compose -f "$TMP/ctx/compose.yaml" -p hello-lab-enginetest build --no-cache; } >"$TMP/build.log" 2>&1 || ok=0
docker image rm -f hello-lab-enginetest:build hello-lab-enginetest:compose hello-lab-enginetest-base:tmp >/dev/null 2>&1 || true
[ "$ok" = 1 ] || { tail -n 20 "$TMP/build.log" >&2; die "BuildKit test build failed"; }
step "docker engine ready"
