#!/usr/bin/env bash
# Builds a Debian bookworm image with a headless Java 17 runtime from Debian packages alone, for
# machines that cannot pull from a registry (air-gapped sites, and CI here). The Dockerfile takes
# it as its BASE_IMAGE build argument.
#
#   scripts/build-base-image.sh [--force] [IMAGE]      (IMAGE defaults to elman-base:bookworm-jre17)
#
# The Debian mirror is the one apt is configured with (override with DEBIAN_MIRROR). Needs root,
# debootstrap and a running Docker engine; an image that already exists is kept unless --force.
set -euo pipefail

force=false
if [[ "${1:-}" == "--force" ]]; then
	force=true
	shift
fi
image="${1:-elman-base:bookworm-jre17}"

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

rootfs=$(mktemp -d /tmp/elman-base.XXXXXX)
trap 'rm -rf "$rootfs"' EXIT

echo "debootstrap bookworm from $mirror into $rootfs"
debootstrap --variant=minbase --include=openjdk-17-jre-headless,ca-certificates bookworm "$rootfs" "$mirror"

# Nothing in the image needs the package caches or lists; they only make it larger.
chroot "$rootfs" apt-get clean
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin

java_home=$(find "$rootfs/usr/lib/jvm" -maxdepth 1 -type d -name 'java-17-openjdk-*' | head -n1)
tar -C "$rootfs" -c . | docker import \
	--change 'ENV LANG=C.UTF-8' \
	--change "ENV JAVA_HOME=${java_home#"$rootfs"}" \
	--change 'CMD ["/bin/bash"]' \
	- "$image"
echo "built $image"
