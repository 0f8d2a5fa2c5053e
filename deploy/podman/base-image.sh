#!/usr/bin/env bash
# Builds the local stand-in for the official Node 20 image, for machines that reach Debian's
# package mirror but no container registry: a minimal Debian bookworm (debootstrap
# --variant=minbase) plus this machine's own Node 20 and npm, the host's CA bundle when it has
# one (NODE_EXTRA_CA_CERTS), and an unprivileged user `node` (uid and gid 1000), as in the
# official image. The Dockerfiles take it as their base with `--build-arg NODE_IMAGE=<name>`.
#
#   deploy/podman/base-image.sh [image-name]     (default localhost/ticketing/node-base:20)
#
# Does nothing when the image already exists (set REBUILD=1 to make it again). Needs root,
# debootstrap and podman; the Debian mirror is the one apt uses here (or DEBIAN_MIRROR).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$here/containers.conf}"
image="${1:-localhost/ticketing/node-base:20}"

if [ "${REBUILD:-0}" != 1 ] && podman image exists "$image"; then
  echo "base image $image exists"
  exit 0
fi

node_bin="$(command -v node)"
case "$("$node_bin" --version)" in
  v20.*) ;;
  *) echo "this machine's node is $("$node_bin" --version), the images need Node 20" >&2; exit 1 ;;
esac
npm_dir="$(dirname "$(readlink -f "$(command -v npm)")")/.."
npm_dir="$(cd "$npm_dir" && pwd)"

# The mirror apt uses here: the first http(s) URI of the Debian sources (deb822 or one-line).
mirror="${DEBIAN_MIRROR:-}"
if [ -z "$mirror" ]; then
  mirror="$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list 2>/dev/null |
    grep -oE 'https?://[^ ]+/debian/?( |$)' | grep -v security | head -n1 | tr -d ' ' || true)"
fi
mirror="${mirror:-http://deb.debian.org/debian}"

rootfs="$(mktemp -d /var/tmp/ticketing-rootfs.XXXXXX)"
trap 'rm -rf "$rootfs"' EXIT

echo "debootstrap bookworm from $mirror"
debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$rootfs.log" 2>&1 ||
  { cat "$rootfs.log" >&2; rm -f "$rootfs.log"; exit 1; }
rm -f "$rootfs.log"

# What the image does not need: package caches and lists, documentation, locales.
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* \
  "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* \
  "$rootfs"/usr/share/locale/*

install -m 0755 "$node_bin" "$rootfs/usr/local/bin/node"
mkdir -p "$rootfs/usr/local/lib/node_modules"
cp -a "$npm_dir" "$rootfs/usr/local/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"

chroot "$rootfs" groupadd --gid 1000 node
chroot "$rootfs" useradd --uid 1000 --gid node --shell /bin/bash --create-home node

changes=(--change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
  --change 'CMD ["node"]')
# The host's CA bundle (a proxy's own authority, for instance) for npm and node in the builds.
if [ -f /etc/ssl/certs/ca-certificates.crt ]; then
  mkdir -p "$rootfs/etc/ssl/certs"
  cp /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/host-ca-bundle.crt"
  changes+=(--change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/host-ca-bundle.crt')
fi

tar -C "$rootfs" --numeric-owner -c . | podman import --quiet "${changes[@]}" - "$image" >/dev/null
echo "base image $image: $(podman image inspect --format '{{.Size}}' "$image" | awk '{printf "%.0f MB", $1 / 1e6}')"
