#!/usr/bin/env bash
# The one test command: installs what the tests need on a fresh Debian 12 machine (Node 20 present),
# then typechecks, builds and runs the whole suite (unit, integration, browser end-to-end, coturn).
# .ci/run calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

# Real parts come from Debian's packages: Chromium and Firefox ESR for the browser tests, coturn for TURN, HAProxy
# (and openssl for test certificates) for the port-443 deployment,
# Xvfb, xdotool, x11-utils (xev) and libxtst6 for the remote-control tests, Wine (wine, wine64) to
# run the Windows helper program, Redis for scale-out.
# Docker's packages for the container test come with test/containers/base-images.sh below.
APT_PACKAGES=(chromium firefox-esr coturn haproxy openssl redis-server xvfb xdotool x11-utils xinput libxtst6 wine wine64)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo "Installing Debian packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  # No service may start during install: tests start their own coturn/redis on loopback ports.
  DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

npm ci --no-audit --no-fund
npm run typecheck
# The web app, the server and the helper programs (dist/helper; Node's binaries from the npm registry).
npm run build
# tap compiles its plugin list; ours drops the TypeScript plugin (tests run through tsx instead).
npx tap build
# The container test (test/containers/stack.test.ts) needs a Docker engine and the stand-in base
# images, made here, outside the suite's namespace, where Debian's archive and npm are reachable.
bash test/containers/base-images.sh
# A Docker engine this run started (base-images.sh) is stopped when the suite ends.
stop_build_engine() { bash test/containers/engine.sh stop /run/relaydesk-build-docker; }
trap stop_build_engine EXIT

log=$(mktemp)
set +e
# The suite runs in a network namespace of its own (scripts/isolated-net.sh): servers, browsers,
# coturn and their WebRTC traffic stay inside this machine, whatever a test does.
bash scripts/isolated-net.sh npx tap 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# A plain closing line that any CI can read, from tap's own summary.
summary=$(grep -E '^# \{ total: ' "$log" | tail -n 1)
total=$(sed -E 's/.*total: ([0-9]+).*/\1/' <<<"$summary")
pass=$(sed -nE 's/.*pass: ([0-9]+).*/\1/p' <<<"$summary")
fail=$(sed -nE 's/.*fail: ([0-9]+).*/\1/p' <<<"$summary")
rm -f "$log"
echo "${pass:-0} passed, ${fail:-0} failed"
if [ "${total:-0}" -eq 0 ]; then
  echo "No test ran: that is a failure." >&2
  exit 1
fi
exit "$status"
