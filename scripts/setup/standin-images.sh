#!/usr/bin/env bash
# Build local stand-ins for the official base images (node:24-alpine, nginx:1.30-alpine,
# prom/prometheus) from Debian packages, for machines that reach no container registry. An image that
# already exists is kept, so a second run is quick. Needs a running engine
# (scripts/setup/docker-engine.sh) and root (debootstrap, chroot).
#   standin-images.sh                 build the root trees, import them, check the images
#   standin-images.sh prepare DIR     only build the trees into DIR: no engine needed, so CI
#                                     builds them while the engine starts (.ci/run)
#   standin-images.sh import DIR      import the images from DIR's trees, then remove DIR (a run
#                                     with no mode after it checks them)
set -euo pipefail
# The mode, the checks, WORK and the helpers (rootfs-lib.sh): it needs the name its messages give
# and where a run with no mode builds.
SCRIPT=standin-images.sh
WORK_PREFIX=/var/tmp/hello-lab-standin
# shellcheck source=scripts/setup/rootfs-lib.sh
. "$(dirname "$0")/rootfs-lib.sh"

NODE_IMAGE=standin/node:24
NGINX_IMAGE=standin/nginx:1.30
PROMETHEUS_IMAGE=standin/prometheus:3

# finish NAME IMAGE CHANGES...: trim what a runtime image never needs, then import.
finish() {
  trim "$1"
  rm -rf "$WORK/$1"/var/cache/debconf/*-old
  import_tree "$@"
}

build_node() {
  local dir=$WORK/node
  rootfs node nodejs,busybox,ca-certificates
  # Debian's npm package drags in hundreds of node-* packages; the registry's npm is one tarball.
  step "adding npm 11"
  local tgz
  tgz=$(cd "$WORK" && npm pack --silent npm@11) || die "npm pack npm@11 failed"
  mkdir -p "$dir/usr/lib/node_modules/npm"
  tar -xzf "$WORK/$tgz" -C "$dir/usr/lib/node_modules/npm" --strip-components=1 --no-same-owner
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$dir/usr/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$dir/usr/bin/npx"
  # Same user as the official node image: node:node, 1000:1000, home /home/node.
  chroot "$dir" groupadd -g 1000 node
  chroot "$dir" useradd -u 1000 -g node -s /bin/sh -m -d /home/node node
}
import_node() { finish node "$NODE_IMAGE" 'CMD ["node"]'; }

build_nginx() {
  local dir=$WORK/nginx
  rootfs nginx nginx,busybox
  # Same user as the official nginx:alpine image: nginx:nginx, 101:101.
  chroot "$dir" groupadd -g 101 nginx || die "gid 101 is taken in the rootfs"
  chroot "$dir" useradd -r -u 101 -g nginx -s /sbin/nologin -d /nonexistent -M nginx
  # Behave like the official image: workers run as nginx, logs go to the container's
  # stdout/stderr, and servers live in conf.d (Debian's sites-enabled default_server on
  # port 80 would otherwise answer requests meant for a server from conf.d).
  sed -i 's/^user .*;/user nginx;/' "$dir/etc/nginx/nginx.conf"
  rm -f "$dir"/etc/nginx/sites-enabled/*
  printf 'server {\n  listen 80;\n  server_name localhost;\n  location / { root /usr/share/nginx/html; index index.html; }\n}\n' \
    >"$dir/etc/nginx/conf.d/default.conf"
  ln -sf /dev/stdout "$dir/var/log/nginx/access.log"
  ln -sf /dev/stderr "$dir/var/log/nginx/error.log"
}
import_nginx() { finish nginx "$NGINX_IMAGE" 'EXPOSE 80' 'CMD ["nginx", "-g", "daemon off;"]'; }

build_prometheus() {
  local dir=$WORK/prometheus
  rootfs prometheus prometheus,busybox
  # Laid out as the official image: /bin/prometheus and /bin/promtool (/bin is /usr/bin here),
  # the configuration in /etc/prometheus and the data in /prometheus, both the user nobody's
  # (65534, as in the official image's busybox).
  { [ -x "$dir/bin/prometheus" ] && [ -x "$dir/bin/promtool" ]; } || die "the prometheus package has no /usr/bin/prometheus"
  mkdir -p "$dir/prometheus"
  chroot "$dir" chown -R nobody:65534 /etc/prometheus /prometheus
  chmod g+w "$dir/prometheus"
}
import_prometheus() {
  finish prometheus "$PROMETHEUS_IMAGE" 'USER nobody' 'WORKDIR /prometheus' 'EXPOSE 9090' \
    'VOLUME ["/prometheus"]' 'ENTRYPOINT ["/bin/prometheus"]' \
    'CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]'
}

build_and_import "$NODE_IMAGE:node" "$NGINX_IMAGE:nginx" "$PROMETHEUS_IMAGE:prometheus"

step "verifying"
node_v=$(docker run --rm "$NODE_IMAGE" node -e 'console.log(process.version)')
[[ $node_v == v24.* ]] || die "$NODE_IMAGE has node $node_v, expected v24.x"
npm_v=$(docker run --rm "$NODE_IMAGE" npm --version)
[[ $npm_v == 11.* ]] || die "$NODE_IMAGE has npm $npm_v, expected 11.x"
user=$(docker run --rm --user 1000 "$NODE_IMAGE" sh -c 'id; wget --help >/dev/null 2>&1 && echo ok')
[[ $user == *"uid=1000(node) gid=1000(node)"*ok ]] || die "$NODE_IMAGE user/sh/wget check failed: $user"
nginx_v=$(docker run --rm "$NGINX_IMAGE" nginx -v 2>&1)
[ "$(printf '%s\n' 1.27.3 "${nginx_v##*/}" | sort -V | head -n1)" = 1.27.3 ] \
  || die "$NGINX_IMAGE has $nginx_v, need >= 1.27.3"
docker run --rm "$NGINX_IMAGE" nginx -t >/dev/null 2>&1 || die "$NGINX_IMAGE: nginx -t fails"
prometheus_v=$(docker run --rm "$PROMETHEUS_IMAGE" --version 2>&1 | head -n1)
[[ $prometheus_v == "prometheus, version 3."* ]] || die "$PROMETHEUS_IMAGE has \"$prometheus_v\", expected version 3.x"
# What the lab relies on, as the official image has it: nobody, the two flags, sh and wget.
user=$(docker run --rm --entrypoint sh "$PROMETHEUS_IMAGE" -c \
  'echo "$(id -u):$(id -g) $(pwd)"; wget --help >/dev/null 2>&1 && echo ok; test -x /bin/promtool && echo ok')
[ "$user" = "$(printf '65534:65534 /prometheus\nok\nok')" ] || die "$PROMETHEUS_IMAGE user/workdir/sh/wget/promtool check failed: $user"
flags=$(docker image inspect --format '{{json .Config.Entrypoint}} {{json .Config.Cmd}}' "$PROMETHEUS_IMAGE")
[ "$flags" = '["/bin/prometheus"] ["--config.file=/etc/prometheus/prometheus.yml","--storage.tsdb.path=/prometheus"]' ] \
  || die "$PROMETHEUS_IMAGE starts as $flags, not as the official image does"
step "ok: node $node_v, npm $npm_v, $nginx_v, user node 1000:1000 with sh and wget; ${prometheus_v#prometheus, }, user nobody"
