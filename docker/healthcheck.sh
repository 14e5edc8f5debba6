#!/usr/bin/env bash
# The image's HEALTHCHECK: healthy while readiness is UP. Plain bash (/dev/tcp), because
# neither the Debian base image nor the Temurin one is sure to have curl or wget.
set -euo pipefail
exec 3<>"/dev/tcp/127.0.0.1/${SERVER_PORT:-8080}"
printf 'GET /actuator/health/readiness HTTP/1.0\r\nHost: localhost\r\nAccept: application/json\r\n\r\n' >&3
grep -q '"status":"UP"' <&3
