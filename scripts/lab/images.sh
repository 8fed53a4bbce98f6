#!/usr/bin/env bash
# Loads the host engine's test images (LAB_IMAGES: the busybox test image and the controller
# image PODLIKE_LOCAL_IMAGE) into every lab node: each node has its own image store and no
# registry answers. Run again after rebuilding the controller image.
set -euo pipefail
. "$(dirname "$(readlink -f "$0")")/lib.sh"
for image in $LAB_IMAGES; do
  docker image inspect "$image" >/dev/null 2>&1 ||
    { echo "image $image is missing on the host engine: run npm run engine:up and npm run image:local" >&2; exit 1; }
done
mkdir -p "$LAB_STATE"
archive=$(mktemp "$LAB_STATE/images.XXXXXX.tar")
trap 'rm -f "$archive"' EXIT
docker save -o "$archive" $LAB_IMAGES
loads=""
for n in $(seq 1 "$LAB_NODES"); do lab_docker "$n" load -q -i "$archive" >/dev/null & loads="$loads $!"; done
for p in $loads; do wait "$p"; done
