#!/bin/sh
# Renders turnserver.conf.template into a coturn config: every {{NAME}} becomes $NAME.
# Usage: TURN_SECRET=... TURN_REALM=... turn/render-config.sh [template] > turnserver.conf
# TURN_SECRET may come from a file instead: TURN_SECRET_FILE=/run/secrets/turn_secret.
# POSIX sh, so the same script runs in the coturn image and on the test machine.
set -eu
template=${1:-"$(dirname "$0")/turnserver.conf.template"}

if [ -n "${TURN_SECRET_FILE:-}" ]; then TURN_SECRET=$(cat "$TURN_SECRET_FILE"); fi
: "${TURN_SECRET:?TURN_SECRET (or TURN_SECRET_FILE) is required: the same value the signaling server has}"
: "${TURN_REALM:?TURN_REALM is required, e.g. support.example.com}"
: "${TURN_PORT:=3478}"
: "${TURN_TLS_PORT:=5349}"
: "${TURN_LISTEN_IP:=0.0.0.0}"
: "${TURN_RELAY_IP:=$TURN_LISTEN_IP}"
: "${TURN_EXTERNAL_IP:=$TURN_RELAY_IP}"
: "${TURN_MIN_PORT:=49152}"
: "${TURN_MAX_PORT:=65535}"
: "${TURN_CERT:=/etc/coturn/tls/cert.pem}"
: "${TURN_PKEY:=/etc/coturn/tls/key.pem}"
: "${TURN_PIDFILE:=/var/tmp/turnserver.pid}"

case "$TURN_SECRET" in *[!A-Za-z0-9+/=_.-]*)
  echo "TURN_SECRET may only hold letters, digits and + / = _ . - (generate one with: openssl rand -base64 32)" >&2
  exit 2;;
esac

sed \
  -e "s|{{TURN_SECRET}}|$TURN_SECRET|g" \
  -e "s|{{TURN_REALM}}|$TURN_REALM|g" \
  -e "s|{{TURN_PORT}}|$TURN_PORT|g" \
  -e "s|{{TURN_TLS_PORT}}|$TURN_TLS_PORT|g" \
  -e "s|{{TURN_LISTEN_IP}}|$TURN_LISTEN_IP|g" \
  -e "s|{{TURN_RELAY_IP}}|$TURN_RELAY_IP|g" \
  -e "s|{{TURN_EXTERNAL_IP}}|$TURN_EXTERNAL_IP|g" \
  -e "s|{{TURN_MIN_PORT}}|$TURN_MIN_PORT|g" \
  -e "s|{{TURN_MAX_PORT}}|$TURN_MAX_PORT|g" \
  -e "s|{{TURN_CERT}}|$TURN_CERT|g" \
  -e "s|{{TURN_PKEY}}|$TURN_PKEY|g" \
  -e "s|{{TURN_PIDFILE}}|$TURN_PIDFILE|g" \
  "$template"

# A lab whose peers sit in a denied range (the test suite's 198.18.0.0/15) lists them here,
# comma-separated; production leaves it empty. coturn lets allowed-peer-ip override denied-peer-ip.
if [ -n "${TURN_ALLOWED_PEER_IPS:-}" ]; then
  echo
  echo "# TURN_ALLOWED_PEER_IPS"
  echo "$TURN_ALLOWED_PEER_IPS" | tr ',' '\n' | while read -r ip; do
    case "$ip" in
      '') ;;
      *[!0-9A-Fa-f.:-]*) echo "TURN_ALLOWED_PEER_IPS: \"$ip\" is not an address or range" >&2; exit 2;;
      *) echo "allowed-peer-ip=$ip";;
    esac
  done
fi
