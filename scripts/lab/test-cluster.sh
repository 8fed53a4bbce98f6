#!/usr/bin/env bash
# npm run test:cluster: brings the lab up, runs test/cluster/*.test.ts against it, and removes
# the lab again whatever happened. Needs root, the host engine and the test images
# (npm run engine:up; npm run image:local).
set -uo pipefail
cd "$(dirname "$0")/../.."
lab=scripts/lab
"$lab/down.sh" >/dev/null 2>&1 || true   # a lab left by an interrupted run
trap '"$lab/down.sh"' EXIT
"$lab/up.sh" || exit 1
PODLIKE_CLUSTER=required node scripts/test.mjs --cluster "$@"
