#!/usr/bin/env bash
# Builds the offline base image for the Dockerfile (its BASE_IMAGE build argument): Debian
# bookworm with a headless Java 17 runtime, from Debian packages alone.
#
#   scripts/build-base-image.sh [--force] [IMAGE]      (IMAGE defaults to elman-base:bookworm-jre17)
set -euo pipefail
force=()
if [[ "${1:-}" == "--force" ]]; then
	force=(--force)
	shift
fi
exec "$(dirname "$0")/debian-image.sh" "${force[@]}" "${1:-elman-base:bookworm-jre17}" \
	openjdk-17-jre-headless,ca-certificates '' -- \
	'CMD ["/bin/bash"]'
