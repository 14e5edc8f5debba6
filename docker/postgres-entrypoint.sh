#!/bin/bash
# Entrypoint of the PostgreSQL image scripts/build-postgres-image.sh builds from Debian's
# postgresql-15. It keeps the interface of the official postgres image where this project
# uses it, so either image can be named: POSTGRES_PASSWORD (required), POSTGRES_USER
# (default postgres), POSTGRES_DB (default the user's name), PGDATA (default
# /var/lib/postgresql/data), a command of `postgres [OPTIONS]` or of options alone, and a
# first start that logs "database system is ready to accept connections" twice: once for the
# private server that creates the database, once for the real one (Testcontainers waits for
# the second).
set -euo pipefail

bin=/usr/lib/postgresql/15/bin
export PGDATA="${PGDATA:-/var/lib/postgresql/data}"

if [[ $# -eq 0 || "${1:0:1}" == "-" ]]; then
	set -- postgres "$@"
fi
if [[ "$1" != "postgres" ]]; then
	exec "$@"
fi
shift

# PostgreSQL refuses to run as root: prepare the folders, then run this script again as the
# postgres user.
if [[ "$(id -u)" == "0" ]]; then
	mkdir -p "$PGDATA" /var/run/postgresql
	chown -R postgres:postgres "$PGDATA" /var/run/postgresql
	chmod 700 "$PGDATA"
	exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" postgres "$@"
fi

if [[ ! -s "$PGDATA/PG_VERSION" ]]; then
	if [[ -z "${POSTGRES_PASSWORD:-}" ]]; then
		echo "POSTGRES_PASSWORD must be set: the database accepts only password logins over the network" >&2
		exit 1
	fi
	user="${POSTGRES_USER:-postgres}"
	database="${POSTGRES_DB:-$user}"
	password_file=$(mktemp)
	printf '%s\n' "$POSTGRES_PASSWORD" >"$password_file"
	"$bin/initdb" --username="$user" --pwfile="$password_file" --encoding=UTF8 --locale=C.UTF-8 \
		--auth-local=trust --auth-host=scram-sha-256
	rm -f "$password_file"
	# Local socket logins trust (only this container reaches them); the network needs the password.
	echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"

	# A private server, listening on the socket alone, creates the database.
	"$bin/pg_ctl" --wait --options="-c listen_addresses=''" start
	if [[ "$database" != "postgres" ]]; then
		psql --no-psqlrc --set ON_ERROR_STOP=1 --username="$user" --dbname=postgres \
			--set database="$database" <<<'CREATE DATABASE :"database";'
	fi
	"$bin/pg_ctl" --wait --mode=fast stop
	echo "PostgreSQL initialised: database $database, user $user"
fi

exec "$bin/postgres" -c listen_addresses='*' "$@"
