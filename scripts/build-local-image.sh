#!/usr/bin/env bash
# Builds podlike/controller:local offline (no registry needed): a FROM scratch
# image holding this machine's node (/usr/bin/node plus the libraries ldd
# lists), /usr/bin/env for the bin/podlike shebang, and the built project
# (dist, bin, schemas, package.json, production node_modules) in /app, with
# the same entrypoint and health check as the release Dockerfile.
# Idempotent: when nothing that goes into the image changed, it only says so.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
IMAGE=${PODLIKE_LOCAL_IMAGE:-podlike/controller:local}
STAGE=${PODLIKE_IMAGE_STAGE:-/tmp/podlike-image-${IMAGE//[^A-Za-z0-9]/-}}
DOCKER=/usr/bin/docker
[ -x "$DOCKER" ] || DOCKER=docker
log() { printf 'image:local: %s\n' "$*"; }

# test files build the image concurrently: one build at a time
mkdir -p "$STAGE"
exec 9>"$STAGE.lock"
flock 9

NODE_BIN=$(readlink -f "$(command -v node)")

# 1. the project, compiled when a source is newer than the last build
if [ ! -f dist/bundle/main.cjs ] || [ -n "$(find src -name '*.ts' -newer dist/bundle/main.cjs -print -quit)" ]; then
  log "compiling (tsc, then the CLI bundle)"
  npx tsc -p tsconfig.json >/dev/null || true   # tsc emits even when another module has type errors
  node scripts/bundle.mjs
  [ -f dist/bundle/main.cjs ] || { log "the build produced no dist/bundle/main.cjs"; exit 1; }
fi

# 2. what goes into the image: node and its libraries by name, size and time; the project by content
libs() { ldd "$1" | awk '/=> \//{print $3} /^\t\/[^ ]+ \(/{print $1}'; }
inputs_hash() {
  {
    for f in "$NODE_BIN" /usr/bin/env $(libs "$NODE_BIN") $(libs /usr/bin/env); do stat -L -c '%n %s %Y' "$f"; done
    find dist bin schemas package.json package-lock.json src/controller/pause src/controller/healthcheck -type f ! -name '*.map' ! -name '*.cache' -print0 2>/dev/null | LC_ALL=C sort -z | xargs -0 sha256sum
    sha256sum "$0" scripts/runtime-modules.mjs scripts/warm-code-cache.cjs
    command -v gcc || true
  } | sha256sum | cut -c1-16
}
HASH=$(inputs_hash)
CURRENT=$("$DOCKER" image inspect "$IMAGE" --format '{{index .Config.Labels "podlike.build-hash"}}' 2>/dev/null || true)
if [ "$CURRENT" = "$HASH" ]; then
  log "$IMAGE is up to date ($HASH)"
  exit 0
fi

# 3. production node_modules, pruned offline from the installed tree (redone only when the lock file changes)
mkdir -p "$STAGE"
LOCK_HASH=$(sha256sum package-lock.json package.json scripts/runtime-modules.mjs | sha256sum | cut -c1-16)
if [ "$(cat "$STAGE/modules.hash" 2>/dev/null || true)" != "$LOCK_HASH" ]; then
  log "preparing production node_modules"
  rm -rf "$STAGE/modules"
  mkdir -p "$STAGE/modules"
  cp package.json package-lock.json "$STAGE/modules/"
  cp -a node_modules "$STAGE/modules/node_modules"
  (cd "$STAGE/modules" && npm prune --omit=dev --ignore-scripts --offline --no-audit --no-fund >/dev/null 2>&1)
  rm -rf "$STAGE/modules/node_modules/.bin"
  # only what the bundle loads at run time (scripts/runtime-modules.mjs says why)
  node scripts/runtime-modules.mjs "$STAGE/modules/node_modules" >"$STAGE/modules/runtime.txt"
  echo "$LOCK_HASH" >"$STAGE/modules.hash"
fi

# 4. the root filesystem
log "staging the root filesystem"
ROOTFS=$STAGE/rootfs
rm -rf "$ROOTFS"
# no /run/podlike in the image: the sandbox runs this image too, and a component sees the sandbox's root
mkdir -p "$ROOTFS/usr/bin" "$ROOTFS/usr/local/bin" "$ROOTFS/app" "$ROOTFS/tmp" "$ROOTFS/etc" "$ROOTFS/root"
chmod 1777 "$ROOTFS/tmp"
# debug symbols are an eighth of the binary and never read on a node
strip -o "$ROOTFS/usr/bin/node" "$NODE_BIN" 2>/dev/null || cp "$NODE_BIN" "$ROOTFS/usr/bin/node"
cp /usr/bin/env "$ROOTFS/usr/bin/env"
for lib in $(libs "$NODE_BIN") $(libs /usr/bin/env); do
  mkdir -p "$ROOTFS$(dirname "$lib")"
  cp -L "$lib" "$ROOTFS$lib"
done
echo 'root:x:0:0:root:/root:/bin/sh' >"$ROOTFS/etc/passwd"
echo 'root:x:0:' >"$ROOTFS/etc/group"
cp -a bin schemas package.json "$ROOTFS/app/"
mkdir -p "$ROOTFS/app/dist" "$ROOTFS/app/node_modules"
cp -a dist/bundle "$ROOTFS/app/dist/bundle"   # bin/podlike runs the bundle; the library build is not needed on a node
find "$ROOTFS/app/dist" -name '*.map' -delete
while read -r package; do
  mkdir -p "$ROOTFS/app/node_modules/$(dirname "$package")"
  cp -a "$STAGE/modules/node_modules/$package" "$ROOTFS/app/node_modules/$package"
done <"$STAGE/modules/runtime.txt"
# the CLI's V8 code cache made by the image's node (for podlike commands run in the image, such as
# the node health check): the checkout's dist/bundle may hold caches of other node versions or flags
find "$ROOTFS/app/dist/bundle" -name '*.cache' -delete
mkdir -p "$ROOTFS/app/scripts"
cp scripts/warm-code-cache.cjs "$ROOTFS/app/scripts/"
# no lint runs in the image: only the cache of the other commands
"$NODE_BIN" "$ROOTFS/app/scripts/warm-code-cache.cjs" commands
rm -r "$ROOTFS/app/scripts"
ln -s /app/bin/podlike "$ROOTFS/usr/local/bin/podlike"
# the pod sandbox's pause program; without a C compiler the sandbox idles in node instead (and reaps no orphans)
if command -v gcc >/dev/null 2>&1; then
  gcc -static -Os -s -o "$ROOTFS/usr/local/bin/podlike-pause" src/controller/pause/pause.c || log "podlike-pause not built: the sandbox will run node"
fi
# the health check the engine runs every second; without a C compiler, the same check in node
if ! { command -v gcc >/dev/null 2>&1 && gcc -static -Os -s -o "$ROOTFS/usr/local/bin/podlike-healthcheck" src/controller/healthcheck/healthcheck.c; }; then
  log "podlike-healthcheck not built: the health check will run node"
  ln -sf /app/bin/podlike-healthcheck "$ROOTFS/usr/local/bin/podlike-healthcheck"
fi

# image-recipe-begin (keep in step with the release Dockerfile)
cat >"$STAGE/Dockerfile" <<DOCKERFILE
FROM scratch
COPY rootfs/ /
ENV PATH=/usr/local/bin:/usr/bin:/bin NODE_ENV=production
WORKDIR /app
LABEL podlike.build-hash="$HASH"
# no V8 flags: under any flag node compiles its own modules (http, net) from source instead of
# taking their code cache, 20 ms more from the controller's start to its first engine answer;
# lite mode would have it idle in 1.3 MB less (README, issue #13)
ENTRYPOINT ["node", "/app/bin/podlike", "controller"]
HEALTHCHECK --interval=1s --timeout=5s --start-period=30s --retries=30 CMD ["podlike-healthcheck"]
DOCKERFILE
# image-recipe-end

printf 'modules\nmodules.hash\n' >"$STAGE/.dockerignore"
log "building $IMAGE"
"$DOCKER" build -q -t "$IMAGE" "$STAGE" >/dev/null
log "built $IMAGE ($HASH)"
