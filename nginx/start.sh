#!/bin/sh
# The proxy's start: nginx on the image's nginx.conf, or on a copy with one of the protections
# that keep failed requests at zero turned off on purpose (README, "Break it"). The switches:
#   PROXY_RETRY=off    a request that fails on one replica is not tried on another
#   PROXY_RESOLVE=off  the replicas are looked up once at start, not followed through DNS
set -eu
conf=/etc/nginx/nginx.conf
copy=/tmp/nginx.conf
edits=
for switch in PROXY_RETRY PROXY_RESOLVE; do
  eval "value=\${$switch:-on}"
  case $value in
    on) ;;
    off) edits="$edits $switch" ;;
    *)
      echo "nginx: $switch=\"$value\" is not allowed: expected on or off" >&2
      exit 2
      ;;
  esac
done
if [ -n "$edits" ]; then
  cp "$conf" "$copy"
  conf=$copy
  for switch in $edits; do
    case $switch in
      PROXY_RETRY)
        sed -i -e 's/^\( *\)proxy_next_upstream .*;/\1proxy_next_upstream off;/' \
          -e '/error_page 502 504 = @again[0-9]*;/d' "$conf"
        check='proxy_next_upstream off;'
        ;;
      PROXY_RESOLVE)
        sed -i -e 's/^\( *server hello:8080\) resolve /\1 /' "$conf"
        check='server hello:8080 max_fails'
        ;;
    esac
    # An nginx.conf that no longer has the line a switch edits must not start as if it had.
    grep -q "$check" "$conf" || { echo "nginx: cannot apply $switch=off to $conf" >&2; exit 1; }
    echo "nginx: $switch=off: a protection of the lab is turned off" >&2
  done
fi
exec nginx -e stderr -c "$conf" "$@"
