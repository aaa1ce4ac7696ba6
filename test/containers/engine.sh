#!/usr/bin/env bash
# Starts or stops one Docker engine for the tests: a containerd of its own, then dockerd on it.
#
#   bash test/containers/engine.sh start <exec-root> <data-root> <socket> <log>
#   bash test/containers/engine.sh stop <exec-root>
#
# containerd is started first and waited for as long as it takes: dockerd's own supervisor gives
# an embedded containerd 15 s and then gives up ("timeout waiting for containerd to start"), which
# a CI machine still busy with npm ci and the build has been seen to miss (containerd printed its
# first line 14 s after it was started). Both are detached from the caller (own session, no
# inherited stdio) and noted in <exec-root>/*.pid; the processes inherit the caller's network
# namespace, so containers on the host network share it.
set -euo pipefail

stop() {
  local root=$1 name pid
  for name in dockerd containerd; do
    [ -f "$root/$name.pid" ] || continue
    pid=$(cat "$root/$name.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$root/$name.pid"
  done
}

wait_for() { # seconds description command...
  local limit=$1 what=$2; shift 2
  local deadline=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS > deadline)); then
      echo "engine: $what did not start within ${limit} s; the end of its log:" >&2
      tail -n 30 "$log" >&2
      return 1
    fi
    sleep 0.5
  done
}

case ${1:-} in
  stop) stop "$2" ;;
  start)
    root=$2 data=$3 socket=$4 log=$5
    stop "$root" # an engine left by an interrupted run
    mkdir -p "$root" "$data"
    : >"$log"
    cat >"$root/containerd.toml" <<EOF
version = 2
root = "$data/containerd"
state = "$root/containerd"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$root/containerd.sock"
[debug]
  level = "warn"
EOF
    rm -f "$root/containerd.sock"
    setsid nohup containerd --config "$root/containerd.toml" </dev/null >>"$log" 2>&1 &
    echo $! >"$root/containerd.pid"
    # ctr answers once containerd serves its API.
    wait_for 180 containerd ctr --address "$root/containerd.sock" version
    setsid nohup dockerd --host "unix://$socket" --data-root "$data" --exec-root "$root/exec" \
      --pidfile "$root/dockerd.pid.own" --containerd "$root/containerd.sock" \
      --bridge=none --iptables=false --ip6tables=false --ip-masq=false </dev/null >>"$log" 2>&1 &
    echo $! >"$root/dockerd.pid"
    wait_for 180 dockerd docker -H "unix://$socket" info
    ;;
  *) echo "usage: $0 start <exec-root> <data-root> <socket> <log> | stop <exec-root>" >&2; exit 2 ;;
esac
