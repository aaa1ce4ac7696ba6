# Stand-in for valkey/valkey: bookworm has no valkey package, so Debian's redis-server 7.0 (the
# protocol Valkey keeps) under Valkey's command names, the "valkey" user and /data. Test code only.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends redis-server redis-tools && rm -rf /var/lib/apt/lists/* \
 && ln -s /usr/bin/redis-server /usr/local/bin/valkey-server && ln -s /usr/bin/redis-cli /usr/local/bin/valkey-cli \
 && groupadd --system valkey && useradd --system --gid valkey --home-dir /data valkey \
 && mkdir -p /data && chown valkey:valkey /data
LABEL org.relaydesk.stand-in="valkey"
WORKDIR /data
VOLUME /data
USER valkey
CMD ["valkey-server"]
