# The port-443 entry: SNI routing between the web app and TURN over TLS (see deploy/haproxy/haproxy.cfg).
# HAProxy 2.8 LTS (maintained until 2028); the config also runs on Debian 12's 2.6.
ARG HAPROXY_IMAGE=haproxy:2.8-bookworm
FROM ${HAPROXY_IMAGE} AS runtime
COPY deploy/haproxy/haproxy.cfg /usr/local/etc/haproxy/haproxy.cfg
# Runs as the unprivileged "haproxy" user. Binding 443 needs one capability, given to the binary
# itself (Docker's default capability set includes NET_BIND_SERVICE), so no root at run time.
USER root
RUN apt-get update && apt-get install -y --no-install-recommends libcap2-bin \
 && setcap cap_net_bind_service=+ep "$(command -v haproxy)" \
 && apt-get purge -y libcap2-bin && apt-get autoremove -y && apt-get clean && rm -rf /var/lib/apt/lists/*
USER haproxy
EXPOSE 443/tcp
# The "health" frontend answers on loopback:8404; bash's /dev/tcp avoids adding curl to the image.
HEALTHCHECK --interval=5s --timeout=3s --start-period=5s --retries=3 \
  CMD bash -c 'exec 3<>/dev/tcp/127.0.0.1/8404 && printf "GET /healthz HTTP/1.0\r\n\r\n" >&3 && grep -q " 200 " <&3'
# SIGUSR1: finish the open connections (soft stop); -W: master-worker, so a reload never drops them.
STOPSIGNAL SIGUSR1
CMD ["haproxy", "-W", "-db", "-f", "/usr/local/etc/haproxy/haproxy.cfg"]
