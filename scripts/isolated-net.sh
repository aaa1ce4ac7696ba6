#!/usr/bin/env bash
# Runs a command in a network namespace of its own, so that nothing it starts (servers, browsers,
# coturn, benchmark load) can reach or be reached from any real network. Inside: loopback, plus one
# veth pair that leads nowhere, with 198.18.0.1/24 (RFC 2544's benchmarking range) and the default
# route on it. Chromium needs that interface: with loopback alone it considers itself offline,
# gathers only 0.0.0.0 candidates and two pages never connect. Its WebRTC traffic then goes from
# 198.18.0.1 to 198.18.0.1, delivered inside this namespace.
#
#   bash scripts/isolated-net.sh <command> [args...]
set -euo pipefail

if [ "${RELAYDESK_ISOLATED:-}" = "1" ]; then exec "$@"; fi

setup='
  ip link set lo up
  ip link add rd0 type veth peer name rd1
  ip addr add 198.18.0.1/24 dev rd0
  ip link set rd1 up
  ip link set rd0 up
  ip route add default dev rd0
'
# As root a plain network namespace; otherwise a user namespace gives the rights to set it up.
userns=()
[ "$(id -u)" -eq 0 ] || userns=(--map-root-user)
if ! unshare --net "${userns[@]}" true 2>/dev/null; then
  echo "isolated-net: cannot create a network namespace here (unshare --net ${userns[*]} failed)." >&2
  echo "Run as root, or enable unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1)." >&2
  exit 2
fi
exec unshare --net "${userns[@]}" bash -c "set -e; ${setup} export RELAYDESK_ISOLATED=1; exec \"\$@\"" isolated-net "$@"
