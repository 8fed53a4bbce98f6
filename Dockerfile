# The release controller image: official Node 20 base, the built project in
# /app, `podlike` on PATH. scripts/build-local-image.sh builds the same layout
# and entrypoint offline (FROM scratch) as podlike/controller:local.
FROM node:20-bookworm AS build
WORKDIR /src
COPY src/controller/pause/pause.c ./pause.c
RUN gcc -static -Os -s -o /usr/local/bin/podlike-pause pause.c
COPY src/controller/healthcheck/healthcheck.c ./healthcheck.c
RUN gcc -static -Os -s -o /usr/local/bin/podlike-healthcheck healthcheck.c
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts/bundle.mjs ./scripts/
COPY src ./src
RUN npm run build && find dist -name '*.map' -delete && npm prune --omit=dev --ignore-scripts && rm -rf node_modules/.bin

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY --from=build /usr/local/bin/podlike-pause /usr/local/bin/podlike-pause
COPY --from=build /usr/local/bin/podlike-healthcheck /usr/local/bin/podlike-healthcheck
COPY bin ./bin
COPY schemas ./schemas
# no /run/podlike in the image: the pod's sandbox runs this image, and components see its root
RUN ln -s /app/bin/podlike /usr/local/bin/podlike
# the CLI's V8 code cache made by this stage's node (for podlike commands run in the image;
# no lint runs there, so only the cache of the other commands)
COPY scripts/warm-code-cache.cjs ./scripts/
RUN find dist/bundle -name '*.cache' -delete && node scripts/warm-code-cache.cjs commands && rm -r scripts
# no V8 flags: under any flag node compiles its own modules (http, net) from source instead of
# taking their code cache, 20 ms more from the controller's start to its first engine answer;
# lite mode would have it idle in 1.3 MB less (README, issue #13)
ENTRYPOINT ["node", "/app/bin/podlike", "controller"]
HEALTHCHECK --interval=1s --timeout=5s --start-period=30s --retries=30 CMD ["podlike-healthcheck"]
