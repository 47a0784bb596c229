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
# The mode, the checks, WORK and the helpers (rootfs-lib.sh): it needs the name its messages give
# and where a run with no mode builds.
SCRIPT=cluster-images.sh
WORK_PREFIX=/var/tmp/hello-lab-cluster-images
# shellcheck source=scripts/setup/rootfs-lib.sh
. "$(dirname "$0")/rootfs-lib.sh"

DIND_IMAGE=standin/dind:28
REGISTRY_IMAGE=standin/registry:2

# tree NAME PACKAGES: the tree, trimmed before the script adds its own files.
tree() { rootfs "$1" "$2"; trim "$1"; }

build_dind() {
  # docker.io has the daemon, containerd and runc; the client is a package of its own.
  tree dind docker.io,docker-cli,iptables,ca-certificates,procps,busybox,iproute2
  { [ -x "$WORK/dind/usr/sbin/dockerd" ] && [ -x "$WORK/dind/usr/bin/docker" ]; } || die "no dockerd or docker in the node's tree"
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

import_dind() { import_tree dind "$DIND_IMAGE" 'VOLUME ["/var/lib/docker"]' 'CMD ["dockerd"]'; }
import_registry() {
  import_tree registry "$REGISTRY_IMAGE" 'EXPOSE 5000' 'VOLUME ["/var/lib/registry"]' \
    'CMD ["docker-registry", "serve", "/etc/docker/registry/config.yml"]'
}

build_and_import "$DIND_IMAGE:dind" "$REGISTRY_IMAGE:registry"

step "verifying"
dockerd_v=$(docker run --rm "$DIND_IMAGE" dockerd --version)
client_v=$(docker run --rm "$DIND_IMAGE" docker --version)
registry_v=$(docker run --rm "$REGISTRY_IMAGE" docker-registry --version)
step "ok: $dockerd_v, client $client_v, $registry_v"
