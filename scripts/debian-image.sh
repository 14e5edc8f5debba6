#!/usr/bin/env bash
# Builds a Docker image from Debian bookworm packages alone: debootstrap into a folder, then
# `docker import`. For machines that cannot pull from a registry (air-gapped sites, and CI
# here). build-base-image.sh and build-prometheus-image.sh use it.
#
#   scripts/debian-image.sh [--force] [--file SOURCE:TARGET]... IMAGE PACKAGES [SETUP]
#       [-- DOCKER_IMPORT_CHANGES...]
#
# PACKAGES is debootstrap's comma-separated --include list; each --file copies a file of this
# repository into the new root (TARGET is absolute, its mode is kept); SETUP, if not empty, is
# a shell snippet run inside the new root after the copies, before it is packed (say, to
# create a folder). The Debian
# mirror is the one apt is configured with (override with DEBIAN_MIRROR). Needs root,
# debootstrap and a running Docker engine; an image that already exists is kept unless
# --force.
set -euo pipefail

force=false
files=()
while [[ "${1:-}" == --* ]]; do
	case "$1" in
	--force) force=true; shift ;;
	--file) files+=("$2"); shift 2 ;;
	*) echo "unknown option $1" >&2; exit 2 ;;
	esac
done
image="$1"
packages="$2"
setup="${3:-}"
shift 3 || shift $#
if [[ "${1:-}" == "--" ]]; then
	shift
fi

if ! $force && docker image inspect "$image" >/dev/null 2>&1; then
	echo "$image already exists (use --force to rebuild)"
	exit 0
fi

configured_mirror() {
	# deb822 sources first (Debian 12's default), then the classic one-line format.
	local uri
	uri=$(grep -hsE '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' | grep -v -- '-security' | head -n1 || true)
	if [[ -z "$uri" ]]; then
		uri=$(grep -hsE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list | grep -v -- '-security' \
			| sed -E 's/^deb (\[[^]]*\] )?//' | awk '{print $1}' | head -n1 || true)
	fi
	echo "${uri:-http://deb.debian.org/debian}"
}
mirror="${DEBIAN_MIRROR:-$(configured_mirror)}"

rootfs=$(mktemp -d /tmp/elman-image.XXXXXX)
trap 'rm -rf "$rootfs"' EXIT

echo "debootstrap bookworm ($packages) from $mirror"
debootstrap --variant=minbase --include="$packages" bookworm "$rootfs" "$mirror" >"$rootfs.log" 2>&1 \
	|| { tail -n 30 "$rootfs.log"; exit 1; }
rm -f "$rootfs.log"
for file in "${files[@]}"; do
	install -D -m "$(stat -c %a "${file%%:*}")" "${file%%:*}" "$rootfs${file#*:}"
done
if [[ -n "$setup" ]]; then
	chroot "$rootfs" /bin/bash -c "$setup"
fi

# Nothing in the image needs the package caches or lists; they only make it larger.
chroot "$rootfs" apt-get clean
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin

changes=(--change 'ENV LANG=C.UTF-8')
for change in "$@"; do
	changes+=(--change "$change")
done
tar -C "$rootfs" -c . | docker import "${changes[@]}" - "$image"
echo "built $image"
