# Stand-in for coturn/coturn (Debian flavour): Debian's coturn 4.6, run as nobody. Test code only.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends coturn && rm -rf /var/lib/apt/lists/*
LABEL org.relaydesk.stand-in="coturn"
USER nobody:nogroup
ENTRYPOINT ["turnserver"]
