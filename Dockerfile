# syntax=docker/dockerfile:1
# Arbiter in a container: `docker build -t arbiter .`, then
#   docker run -p 3000:3000 -v arbiter-data:/data -e ARBITER_TOKEN_KEYS=k1:<32+ characters> arbiter
# (production mode: tokens signed with ARBITER_TOKEN_KEYS; add -e ARBITER_MODE=demo for the demo).
# compose.yaml runs three instances on PostgreSQL. test/packaging.test.ts runs this file's start
# command with its ENV; the image itself is not built in CI here (no Docker on that machine).

# Build: every dependency, better-sqlite3's native addon included (a prebuilt binary, or compiled
# with the toolchain below), then the dev dependencies pruned away.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund \
  && npm prune --omit=dev --no-audit --no-fund \
  && npm cache clean --force

# Runtime: production dependencies (tsx among them: the service runs its TypeScript with it), the
# sources the service loads, and a non-root user owning /data only.
FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/node_modules ./node_modules
COPY package.json ./
COPY machines ./machines
COPY db ./db
COPY diagrams ./diagrams
COPY server ./server
RUN mkdir -p /data/evidence && chown -R node:node /data
USER node
ENV ARBITER_HOST=0.0.0.0 \
  PORT=3000 \
  ARBITER_DB=/data/arbiter.db \
  ARBITER_EVIDENCE_DIR=/data/evidence
VOLUME /data
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--import", "tsx", "server/main.ts"]
