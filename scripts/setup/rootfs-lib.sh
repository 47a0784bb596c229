# shellcheck shell=bash
# Sourced by scripts/setup/standin-images.sh and scripts/setup/cluster-images.sh, which build
# stand-in images from Debian root trees: what they share. Before sourcing it, a script sets
# SCRIPT (the name its messages give) and WORK_PREFIX (where a run with no mode builds, a
# mktemp -d template without its X's); sourcing it then
#   - reads the mode: nothing (all), prepare DIR or import DIR, else exits 2;
#   - checks for root and, except for `prepare`, a running engine;
#   - sets WORK, the trees' directory, removed on exit (kept after a `prepare` that succeeds);
#   - installs debootstrap where it is missing, except for `import`.
# Then it gives step, die and have, rootfs and trim to build a tree, import_tree to make an
# image of one, and build_and_import to run the script's own build_NAME and import_NAME.
mode=${1:-all}
case $mode in
  all) ;;
  prepare | import) [ -n "${2:-}" ] || { echo "$SCRIPT $mode: expected a directory" >&2; exit 2; } ;;
  *) echo "$SCRIPT: \"$mode\" is not a mode: expected prepare DIR, import DIR or nothing" >&2; exit 2 ;;
esac

PATH_ENV=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

step() { echo "==> $*"; }
die() { echo "ERROR: $*" >&2; exit 1; }
have() { docker image inspect "$1" >/dev/null 2>&1; }

[ "$mode" = prepare ] || docker info >/dev/null 2>&1 ||
  die "no Docker engine answers; run scripts/setup/docker-engine.sh first"
[ "$(id -u)" = 0 ] || die "run as root (debootstrap and chroot need it)"

if [ "$mode" = all ]; then WORK=$(mktemp -d "$WORK_PREFIX.XXXXXX"); else WORK=$2; mkdir -p "$WORK"; fi
cleanup() {
  # debootstrap may leave /proc, /sys or a bind-mounted /dev inside a tree after a failure:
  # unmount them first, and never let rm cross into a mount.
  findmnt -rno TARGET | grep "^$WORK/" | sort -r | xargs -r umount -l || true
  rm -rf --one-file-system "$WORK"
}
# The trees of `prepare` stay for `import`, unless it failed or was stopped.
if [ "$mode" = prepare ]; then
  trap '[ "$?" = 0 ] || cleanup' EXIT
else
  trap cleanup EXIT
fi
trap 'exit 143' TERM INT

[ "$mode" = import ] || command -v debootstrap >/dev/null || {
  step "installing debootstrap"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq --no-install-recommends debootstrap; } >"$WORK/apt.log" 2>&1 ||
    { tail -n 20 "$WORK/apt.log" >&2; die "cannot install debootstrap"; }
}

# rootfs NAME PACKAGES: a minimal Debian sid tree in $WORK/NAME (sid has what the stand-ins need:
# Node 24, nginx >= 1.27.3, Docker 28, distribution's registry).
rootfs() {
  local dir=$WORK/$1
  step "debootstrap sid with $2"
  debootstrap --variant=minbase --include="$2" sid "$dir" >"$dir.log" 2>&1 ||
    { tail -n 20 "$dir.log" >&2; die "debootstrap failed for $2"; }
  # Alpine-like userland: sh, wget, nc, ... as busybox applets (existing files are kept).
  chroot "$dir" /bin/busybox --install -s 2>/dev/null || true
}

# trim NAME: removes from $WORK/NAME what a runtime image never needs.
trim() {
  local dir=$WORK/$1
  rm -rf "$dir"/var/cache/apt/* "$dir"/var/lib/apt/lists/* "$dir"/usr/share/{doc,man,info,locale,lintian}/* \
    "$dir"/var/log/*.log "$dir"/etc/{resolv.conf,hostname}
}

# import_tree NAME IMAGE CHANGES...: $WORK/NAME as IMAGE, each CHANGE a Dockerfile line.
import_tree() {
  local dir=$WORK/$1 image=$2; shift 2
  step "importing $image ($(du -sh "$dir" | cut -f1))"
  local changes=(-c "ENV PATH=$PATH_ENV")
  for c in "$@"; do changes+=(-c "$c"); done
  tar --numeric-owner -C "$dir" -c . | docker import "${changes[@]}" - "$image" >/dev/null
}

# build_and_import IMAGE:NAME...: what the mode asks of each image, NAME naming its tree and the
# script's build_NAME and import_NAME. The trees are built side by side: each waits mostly on
# downloads and on dpkg in its own tree. A tree is built only for an image the engine does not
# have (`prepare` cannot ask: it builds them all), and each finished tree leaves a mark, which
# `import` needs. `prepare` and `import` exit when done; a run with no mode returns, for the
# script to check its images.
build_and_import() {
  local pair image tag name pid failed=0 builds=()
  if [ "$mode" != import ]; then
    for pair in "$@"; do
      IFS=: read -r image tag name <<<"$pair"
      image=$image:$tag
      if [ "$mode" != prepare ] && have "$image"; then step "$image already present, skipped"; continue; fi
      (
        start=$SECONDS
        "build_$name"
        touch "$WORK/$name.ready"
        step "$image tree built in $((SECONDS - start)) s"
      ) &
      builds+=($!)
    done
    for pid in "${builds[@]}"; do wait "$pid" || failed=1; done
    [ "$failed" = 0 ] || die "a stand-in image could not be built (see above)"
  fi
  [ "$mode" != prepare ] || exit 0

  for pair in "$@"; do
    IFS=: read -r image tag name <<<"$pair"
    image=$image:$tag
    if have "$image"; then continue; fi
    [ -f "$WORK/$name.ready" ] || die "no finished tree for $image in $WORK"
    "import_$name"
  done
  [ "$mode" != import ] || exit 0
}
