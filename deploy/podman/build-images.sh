#!/usr/bin/env bash
# Builds every image with podman, from the repository root, on the local Node 20 base
# (base-image.sh) unless NODE_IMAGE names another: one per folder under services/ (so a new
# service is built without a change here), the storefront, and the podman stack's gateway.
# Prints each image's size. Tags: ticketing/<name>:${TAG:-latest}. BUILD_JOBS (default 2) builds
# run at once, after the first.
#
#   deploy/podman/build-images.sh [name ...]      (default: all of them)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$here/containers.conf}"
tag="${TAG:-latest}"
cd "$root"

if [ -z "${NODE_IMAGE:-}" ]; then
  NODE_IMAGE=localhost/ticketing/node-base:20
  "$here/base-image.sh" "$NODE_IMAGE"
fi

names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for manifest in services/*/package.json; do names+=("$(basename "$(dirname "$manifest")")"); done
  names+=(client gateway)
fi

build() {
  local name="$1"
  shift
  local started=$SECONDS
  # Quiet unless it fails: the whole log then.
  if ! podman build --format docker --layers --build-arg "NODE_IMAGE=$NODE_IMAGE" \
    -t "ticketing/$name:$tag" "$@" . >"/tmp/ticketing-build-$name.log" 2>&1; then
    cat "/tmp/ticketing-build-$name.log" >&2
    echo "building ticketing/$name failed" >&2
    return 1
  fi
  rm -f "/tmp/ticketing-build-$name.log"
  printf '%-30s %5s MB  (%s s)\n' "ticketing/$name:$tag" \
    "$(podman image inspect --format '{{.Size}}' "ticketing/$name:$tag" | awk '{printf "%.0f", $1 / 1e6}')" \
    "$((SECONDS - started))"
}

build_one() {
  case "$1" in
    client) build client -f client/Dockerfile ;;
    gateway)
      build gateway -f services/Dockerfile \
        --build-arg WORKSPACE=apps/distributed --build-arg MAIN=dist/gateway-main.js
      ;;
    *) build "$1" -f services/Dockerfile --build-arg "SERVICE=$1" ;;
  esac
}

# The first image alone, which makes the layers every image shares (the whole workspace's
# npm ci); then the others BUILD_JOBS at a time (default 2).
build_one "${names[0]}" || exit 1
failed=0
running=0
for name in "${names[@]:1}"; do
  build_one "$name" &
  running=$((running + 1))
  if [ "$running" -ge "${BUILD_JOBS:-2}" ]; then
    wait -n || failed=1
    running=$((running - 1))
  fi
done
while [ "$running" -gt 0 ]; do
  wait -n || failed=1
  running=$((running - 1))
done
exit "$failed"
