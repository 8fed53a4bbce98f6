#!/usr/bin/env bash
# npm run test:cgroup2: boots the cgroup-v2 guest (building it when not cached),
# runs the pod envelope and sandbox end-to-end tests against its engine, and
# stops the guest again whatever happened. The controller image is built in
# the guest's engine by the tests themselves (scripts/build-local-image.sh
# follows DOCKER_HOST); the test image comes from the host's engine.
# Extra arguments pick other test files (substrings of their paths).
set -uo pipefail
cd "$(dirname "$0")/../.."
lab=scripts/vm-lab
"$lab/down.sh" >/dev/null 2>&1 || true   # a guest left by an interrupted run
trap '"$lab/down.sh"' EXIT
DOCKER_HOST=$("$lab/up.sh" podlike-test/busybox:latest) || exit 1
export DOCKER_HOST PODLIKE_E2E=required
[ $# -gt 0 ] || set -- test/e2e/envelope test/e2e/sandbox
node scripts/test.mjs --e2e "$@"
