# coturn with Relay Desk's configuration template. Build from the repository root:
#   docker build -f deploy/coturn.Dockerfile -t relaydesk/coturn .
# The config is rendered at start from the environment (TURN_REALM, TURN_SECRET_FILE, ports, IPs).
ARG COTURN_IMAGE=coturn/coturn:4.6.3-debian
FROM ${COTURN_IMAGE} AS runtime
COPY turn/turnserver.conf.template turn/render-config.sh /etc/coturn/
USER root
# The two-IP variant listens on 443: that capability goes to the binary, so coturn needs no root.
RUN chmod 0755 /etc/coturn/render-config.sh && mkdir -p /var/lib/coturn && chown nobody:nogroup /var/lib/coturn \
 && apt-get update && apt-get install -y --no-install-recommends libcap2-bin \
 && setcap cap_net_bind_service=+ep "$(command -v turnserver)" \
 && apt-get purge -y libcap2-bin && apt-get autoremove -y && apt-get clean && rm -rf /var/lib/apt/lists/*
# The image's own user: coturn needs no root to bind ports above 1024 (5349, 3478, the relay range).
USER nobody:nogroup
# 3478: TURN/STUN over UDP and TCP. 5349: TURN over TLS (reached on :443 through the SNI proxy, or
# published as 443 on its own IP). 49152-65535/udp: the relay ports (TURN_MIN_PORT..TURN_MAX_PORT).
EXPOSE 3478/udp 3478/tcp 5349/tcp 49152-65535/udp
# The rendered config (with the secret) is written here at each start; nothing else is kept.
VOLUME /var/lib/coturn
HEALTHCHECK --interval=5s --timeout=3s --start-period=5s --retries=3 \
  CMD turnutils_stunclient -p "${TURN_PORT:-3478}" "${TURN_LISTEN_IP:-127.0.0.1}" >/dev/null || exit 1
ENTRYPOINT ["/bin/sh", "-c", "umask 077 && /etc/coturn/render-config.sh /etc/coturn/turnserver.conf.template > /var/lib/coturn/turnserver.conf && exec turnserver -c /var/lib/coturn/turnserver.conf"]
