#!/usr/bin/env bash
# Build local stand-ins for the two images a cluster of Docker-in-Docker nodes needs (the node,
# official docker:dind, and the registry, official registry:2) from Debian packages, for machines
# that reach no container registry. An image that already exists is kept. Needs root (debootstrap,
# chroot) and, except for `prepare`, a running engine.
#   cluster-images.sh                 build the root trees, import them, check the images
#   cluster-images.sh prepare DIR     only build the trees into DIR: no engine needed, so CI
#                                     builds them while the engine starts (.ci/run)
#   cluster-images.sh import DIR      import the images from DIR's trees, then remove DIR
set -euo pipefail
mode=${1:-all}
case $mode in
  all) ;;
  prepare | import) [ -n "${2:-}" ] || { echo "cluster-images.sh $mode: expected a directory" >&2; exit 2; } ;;
  *) echo "cluster-images.sh: \"$mode\" is not a mode: expected prepare DIR, import DIR or nothing" >&2; exit 2 ;;
esac

DIND_IMAGE=standin/dind:28
REGISTRY_IMAGE=standin/registry:2
PATH_ENV=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

step() { echo "==> $*"; }
die() { echo "ERROR: $*" >&2; exit 1; }
have() { docker image inspect "$1" >/dev/null 2>&1; }

[ "$mode" = prepare ] || docker info >/dev/null 2>&1 ||
  die "no Docker engine answers; run scripts/setup/docker-engine.sh first"
[ "$(id -u)" = 0 ] || die "run as root (debootstrap and chroot need it)"

if [ "$mode" = all ]; then WORK=$(mktemp -d /var/tmp/hello-lab-cluster-images.XXXXXX); else WORK=$2; mkdir -p "$WORK"; fi
cleanup() {
  # debootstrap may leave /proc or /sys mounted inside a tree after a failure: never let rm
  # cross into a mount.
  findmnt -rno TARGET | grep "^$WORK/" | sort -r | xargs -r umount -l || true
  rm -rf --one-file-system "$WORK"
}
if [ "$mode" = prepare ]; then
  trap 'status=$?; [ "$status" = 0 ] || cleanup' EXIT
else
  trap cleanup EXIT
fi
trap 'exit 143' TERM INT

# tree NAME PACKAGES: a minimal Debian sid tree (sid has Docker 28 and distribution's registry).
tree() {
  local dir=$WORK/$1
  step "debootstrap sid with $2"
  debootstrap --variant=minbase --include="$2" sid "$dir" >"$dir.log" 2>&1 ||
    { tail -n 20 "$dir.log" >&2; die "debootstrap failed for $2"; }
  chroot "$dir" /bin/busybox --install -s 2>/dev/null || true
  rm -rf "$dir"/var/cache/apt/* "$dir"/var/lib/apt/lists/* "$dir"/usr/share/{doc,man,info,locale,lintian}/* \
    "$dir"/var/log/*.log "$dir"/etc/{resolv.conf,hostname}
}

build_dind() {
  # docker.io has the daemon, containerd and runc; the client is a package of its own.
  tree dind docker.io,docker-cli,iptables,ca-certificates,procps,busybox,iproute2
  [ -x "$WORK/dind/usr/sbin/dockerd" ] && [ -x "$WORK/dind/usr/bin/docker" ] || die "no dockerd or docker in the node's tree"
}
build_registry() {
  tree registry docker-registry,ca-certificates,busybox
  # As the official image is configured: no login, blobs in /var/lib/registry, every address
  # (Debian's own configuration asks for a password file and keeps blobs elsewhere).
  cat >"$WORK/registry/etc/docker/registry/config.yml" <<'YAML'
version: 0.1
storage:
  filesystem:
    rootdirectory: /var/lib/registry
  delete:
    enabled: true
http:
  addr: :5000
YAML
  mkdir -p "$WORK/registry/var/lib/registry"
}

import_image() {
  local dir=$WORK/$1 image=$2; shift 2
  step "importing $image ($(du -sh "$dir" | cut -f1))"
  local changes=(-c "ENV PATH=$PATH_ENV")
  for c in "$@"; do changes+=(-c "$c"); done
  tar --numeric-owner -C "$dir" -c . | docker import "${changes[@]}" - "$image" >/dev/null
}
import_dind() { import_image dind "$DIND_IMAGE" 'VOLUME ["/var/lib/docker"]' 'CMD ["dockerd"]'; }
import_registry() {
  import_image registry "$REGISTRY_IMAGE" 'EXPOSE 5000' 'VOLUME ["/var/lib/registry"]' \
    'CMD ["docker-registry", "serve", "/etc/docker/registry/config.yml"]'
}

[ "$mode" = import ] || command -v debootstrap >/dev/null || {
  step "installing debootstrap"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq --no-install-recommends debootstrap; } >"$WORK/apt.log" 2>&1 ||
    { tail -n 20 "$WORK/apt.log" >&2; die "cannot install debootstrap"; }
}

present() { [ "$mode" != prepare ] && have "$1"; }
if [ "$mode" != import ]; then
  builds=()
  for pair in "$DIND_IMAGE:dind" "$REGISTRY_IMAGE:registry"; do
    IFS=: read -r image tag name <<<"$pair"
    if present "$image:$tag"; then step "$image:$tag already present, skipped"; continue; fi
    (
      start=$SECONDS
      "build_$name"
      touch "$WORK/$name.ready"
      step "$image:$tag tree built in $((SECONDS - start)) s"
    ) &
    builds+=($!)
  done
  failed=0
  for pid in "${builds[@]}"; do wait "$pid" || failed=1; done
  [ "$failed" = 0 ] || die "a stand-in image could not be built (see above)"
fi
[ "$mode" != prepare ] || exit 0

for pair in "$DIND_IMAGE:dind" "$REGISTRY_IMAGE:registry"; do
  IFS=: read -r image tag name <<<"$pair"
  have "$image:$tag" && continue
  [ -f "$WORK/$name.ready" ] || die "no finished tree for $image:$tag in $WORK"
  "import_$name"
done
[ "$mode" != import ] || exit 0

step "verifying"
dockerd_v=$(docker run --rm "$DIND_IMAGE" dockerd --version)
client_v=$(docker run --rm "$DIND_IMAGE" docker --version)
registry_v=$(docker run --rm "$REGISTRY_IMAGE" docker-registry --version)
step "ok: $dockerd_v, client $client_v, $registry_v"
