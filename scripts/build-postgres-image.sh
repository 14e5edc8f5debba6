#!/usr/bin/env bash
# Builds a PostgreSQL 15 image from Debian's postgresql-15 package, for the tests that run
# on PostgreSQL and the compose cluster profile, where postgres:15 cannot be pulled. Its
# entrypoint (docker/postgres-entrypoint.sh) takes the official image's POSTGRES_USER,
# POSTGRES_PASSWORD and POSTGRES_DB.
#
#   scripts/build-postgres-image.sh [--force] [IMAGE]   (IMAGE defaults to elman-postgres:bookworm)
set -euo pipefail
cd "$(dirname "$0")/.."
force=()
if [[ "${1:-}" == "--force" ]]; then
	force=(--force)
	shift
fi
# The package creates a cluster of its own on installation; the entrypoint makes one in
# PGDATA at the first start instead. (docker import cannot set STOPSIGNAL: SIGINT, PostgreSQL's
# fast shutdown, is set where the image is run, as compose's stop_signal.)
exec scripts/debian-image.sh "${force[@]}" --file docker/postgres-entrypoint.sh:/usr/local/bin/docker-entrypoint.sh \
	"${1:-elman-postgres:bookworm}" postgresql-15 \
	'pg_dropcluster 15 main 2>/dev/null || true; rm -rf /var/lib/postgresql/15' -- \
	'ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
	'EXPOSE 5432' \
	'ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]' \
	'CMD ["postgres"]'
