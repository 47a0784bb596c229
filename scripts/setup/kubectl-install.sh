#!/usr/bin/env bash
# As root: install kubectl (for `kubectl kustomize`) from Debian's packages, if none is on PATH.
# Debian ships kubectl as a program with no dependency but libc, so the package of a newer suite
# unpacks and runs here. apt-get works on private lists and caches: the system's apt state stays
# untouched. The mirror is the machine's own (deb822 sources first, then sources.list).
#   scripts/setup/kubectl-install.sh     KUBECTL_DIR (/usr/local/bin), KUBECTL_SUITE (trixie)
set -euo pipefail
# Debian 13's kubectl is 1.32, whose `kubectl kustomize` is kustomize 5.
dir=${KUBECTL_DIR:-/usr/local/bin}
suite=${KUBECTL_SUITE:-trixie}
die() { echo "$0: $*" >&2; exit 1; }

if command -v kubectl >/dev/null; then echo "kubectl: $(command -v kubectl) is already there"; exit 0; fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
uri=$(grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' | grep -v security | head -n1 || true)
[ -n "$uri" ] || uri=$(sed -E 's/\[[^]]*\]//' /etc/apt/sources.list 2>/dev/null |
  awk '$1 == "deb" && $2 !~ /security/ {print $2; exit}')
[ -n "$uri" ] || die "no Debian mirror found in /etc/apt/sources.list(.d)"
mkdir -p "$tmp/lists/partial" "$tmp/cache/archives/partial" "$tmp/parts"
printf 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s %s main\n' "$uri" "$suite" >"$tmp/sources.list"
apt=(apt-get -qq -o Dir::State::Lists="$tmp/lists" -o Dir::Etc::SourceList="$tmp/sources.list"
  -o Dir::Etc::SourceParts="$tmp/parts" -o Dir::Cache="$tmp/cache" -o APT::Sandbox::User=root)
"${apt[@]}" update
(cd "$tmp" && "${apt[@]}" download "kubectl/$suite")
dpkg -x "$tmp"/kubectl_*.deb "$tmp/root"
install -D -m 0755 "$tmp/root/usr/bin/kubectl" "$dir/kubectl"
"$dir/kubectl" version --client
