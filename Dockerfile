# syntax=docker/dockerfile:1
#
# The production image: `node dist/main.js` on Node 22 LTS, production dependencies only, as the
# unprivileged `node` user. Build: `docker build -t jamf-compliance-bot .`
# Run:   `docker run --env-file .env -p 3978:3978 jamf-compliance-bot`
#
# test/e2e/containerArtifact.test.ts assembles exactly what the runtime stage below COPYs (it
# reads this file) and starts it against the demo tenant: a COPY that forgets something the bot
# reads at run time fails that test.

# One base for every stage, so the better-sqlite3 binary built below matches the runtime's Node ABI.
ARG NODE_IMAGE=node:22-bookworm-slim

# better-sqlite3 is a native module: its install script downloads a prebuilt binary for this
# Node, or compiles one when none can be had, which needs python3, make and g++ (absent in slim).
FROM ${NODE_IMAGE} AS toolchain
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app

# Compile TypeScript (devDependencies are needed here, and stay here).
FROM toolchain AS build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# Production dependencies only, with better-sqlite3 built for this Node. Optional ones are left
# out too: i18next names TypeScript as an optional peer, which npm would otherwise install (the
# others are restify's DTrace probes and pg's Cloudflare socket, neither used here).
FROM toolchain AS prod-deps
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --omit=optional --no-audit --no-fund && npm cache clean --force

# The image that runs: no compiler, no devDependency, no demo/, no tests.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
  PORT=3978
WORKDIR /app
# Owned by root and read-only to the bot: only .data (the default SQLite folder) is writable.
COPY package.json ./
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY cards ./cards
COPY locales ./locales
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
EXPOSE 3978
# node itself, since the slim image has no curl; /healthz answers once the bot listens.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3978) + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# As `npm run start:prod`, without npm in between (signals reach node directly).
CMD ["node", "--disable-warning=DEP0111", "--optimize-for-size", "dist/main.js"]
