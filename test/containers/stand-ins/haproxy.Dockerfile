# Stand-in for the official haproxy image: Debian's HAProxy (2.6 in bookworm), the "haproxy" user
# and the official image's config path. Test code only.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends haproxy && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /usr/local/etc/haproxy
LABEL org.relaydesk.stand-in="haproxy"
USER haproxy
STOPSIGNAL SIGUSR1
CMD ["haproxy", "-f", "/usr/local/etc/haproxy/haproxy.cfg"]
