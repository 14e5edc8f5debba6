#!/usr/bin/env bash
# Builds a Prometheus image from Debian's prometheus package, for docker-compose.yml where
# prom/prometheus cannot be pulled (PROMETHEUS_IMAGE=elman-prometheus:bookworm).
#
#   scripts/build-prometheus-image.sh [--force] [IMAGE]   (IMAGE defaults to elman-prometheus:bookworm)
set -euo pipefail
force=()
if [[ "${1:-}" == "--force" ]]; then
	force=(--force)
	shift
fi
exec "$(dirname "$0")/debian-image.sh" "${force[@]}" "${1:-elman-prometheus:bookworm}" \
	prometheus,wget,ca-certificates \
	'mkdir -p /prometheus && chown prometheus:prometheus /prometheus' -- \
	'USER prometheus' \
	'WORKDIR /prometheus' \
	'EXPOSE 9090' \
	'ENTRYPOINT ["/usr/bin/prometheus"]' \
	'CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]'
