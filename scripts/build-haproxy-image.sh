#!/usr/bin/env bash
# Builds an HAProxy image from Debian's haproxy package (2.6), for the compose cluster
# (docker-compose.cluster.yml), where haproxy:2.6 cannot be pulled. Like the official image
# it reads /usr/local/etc/haproxy/haproxy.cfg and logs to standard output.
#
#   scripts/build-haproxy-image.sh [--force] [IMAGE]   (IMAGE defaults to elman-haproxy:bookworm)
set -euo pipefail
force=()
if [[ "${1:-}" == "--force" ]]; then
	force=(--force)
	shift
fi
exec "$(dirname "$0")/debian-image.sh" "${force[@]}" "${1:-elman-haproxy:bookworm}" haproxy \
	'mkdir -p /usr/local/etc/haproxy /run/haproxy && chown haproxy:haproxy /run/haproxy' -- \
	'USER haproxy' \
	'ENTRYPOINT ["/usr/sbin/haproxy", "-W", "-db"]' \
	'CMD ["-f", "/usr/local/etc/haproxy/haproxy.cfg"]'
