# syntax=docker/dockerfile:1
# The signaling server and the web app it serves. Build from the repository root:
#   docker build -f deploy/signaling.Dockerfile -t relaydesk/signaling .

# --- build: all dependencies, bundle the web app -------------------------------------------
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.base.json tsconfig.json ./
COPY protocol protocol
COPY signaling signaling
COPY web web
RUN npm run build && npm prune --omit=dev

# --- runtime: production dependencies, the server and the bundle, as a non-root user ---------
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8080
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/protocol protocol
COPY --from=build /app/signaling signaling
COPY --from=build /app/web/dist web/dist
USER node
# Plain HTTP behind the proxy (deploy/haproxy); set TLS_CERT/TLS_KEY to serve HTTPS directly.
EXPOSE 8080/tcp
HEALTHCHECK --interval=10s --timeout=3s --start-period=15s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# SIGTERM: /readyz fails for SHUTDOWN_GRACE_MS, then clients are told (close 4503) and the process exits.
STOPSIGNAL SIGTERM
CMD ["node", "--import=tsx", "signaling/server.ts"]
