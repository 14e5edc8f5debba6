#!/usr/bin/env bash
# Figures for the compose cluster (docker-compose.cluster.yml) on this machine:
#   - POST /generate requests/s and latency through HAProxy, 32 connections, with two
#     replicas and then with one (the other stopped gracefully);
#   - how long after a SIGKILL (docker kill) of the replica training a job the other replica
#     runs it again.
# Needs root, Docker, Compose, wrk and the offline images (built here when missing).
#
#   scripts/bench-cluster.sh [--seconds N]
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=15 port=18090
while [ $# -gt 0 ]; do
	case "$1" in
		--seconds) seconds="$2"; shift ;;
		*) echo "unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
command -v wrk >/dev/null || apt-get install -y -q wrk >/dev/null
for image in base prometheus postgres haproxy; do
	"scripts/build-$image-image.sh" >/dev/null
done
./mvnw -q -B -DskipTests package

work=target/bench-cluster
rm -rf "$work" && mkdir -p "$work"
export ELMAN_IMAGE=elman-bench-cluster:latest ELMAN_PORT=$port PROMETHEUS_PORT=$((port + 1)) \
	BASE_IMAGE=elman-base:bookworm-jre17 PROMETHEUS_IMAGE=elman-prometheus:bookworm \
	POSTGRES_IMAGE=elman-postgres:bookworm HAPROXY_IMAGE=elman-haproxy:bookworm
compose() { docker-compose --project-name elman-bench-cluster --file docker-compose.cluster.yml "$@"; }
cleanup() {
	compose down --volumes --timeout 60 >/dev/null 2>&1 || true
	docker rmi -f "$ELMAN_IMAGE" >/dev/null 2>&1 || true
}
trap cleanup EXIT
compose up --detach --build >"$work/up.log" 2>&1
url="http://localhost:$port"
for _ in $(seq 1 180); do
	curl -sf "$url/actuator/health/readiness" >/dev/null && break
	sleep 1
done

job_state() { curl -s "$url$1" | python3 -c 'import json,sys; j=json.load(sys.stdin); print(j["state"], j.get("replica") or "-", j["attempts"], len(j.get("history") or []))'; }
wait_state() { # job, python condition on (state, replica, attempts, epochs)
	while true; do
		read -r state replica attempts epochs < <(job_state "$1")
		if python3 -c "import sys; state, replica, attempts, epochs = '$state', '$replica', $attempts, $epochs; sys.exit(0 if ($2) else 1)"; then
			echo "$state $replica $attempts $epochs"
			return
		fi
		sleep 0.2
	done
}
head -n 20000 ../shared/datasets/addition.txt > "$work/addition.txt"
adder=$(curl -s -o /dev/null -w '%header{location}' "$url/train/upload" -F corpus=@"$work/addition.txt" \
	-F format=delimited -F name=adder -F epochs=3)
wait_state "$adder" "state == 'SUCCEEDED'" >/dev/null
sleep 3 # both replicas' registry scans

# Straight to the balancer's container address: Docker's port publishing (docker-proxy)
# would be measured too otherwise.
address() { echo "http://$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$(compose ps -q "$1")"):8080"; }
load() { # name, warm-up seconds, base URL
	wrk -t2 -c32 -d"$2s" -s scripts/wrk/generate-one-sum.lua "$3/generate" >/dev/null
	wrk -t2 -c32 -d"${seconds}s" --latency -s scripts/wrk/generate-one-sum.lua "$3/generate" >"$work/$1.txt"
	grep -E 'Non-2xx|Socket errors' "$work/$1.txt" >&2 || true
	echo "$(awk '/Requests\/sec/ {print $2}' "$work/$1.txt") $(awk '/ 50%/ {print $2}' "$work/$1.txt") $(awk '/ 99%/ {print $2}' "$work/$1.txt")"
}
wait_healthy() {
	for _ in $(seq 1 180); do
		[ "$(docker inspect -f '{{.State.Health.Status}}' "$(compose ps -q "$1")")" = healthy ] && return
		sleep 1
	done
}
# One replica first (the other stopped gracefully), then both, each warmed up under the
# same load before it is measured.
compose stop --timeout 45 elman-2 >/dev/null 2>&1
sleep 3 # the balancer's checks
read -r one_rps one_p50 one_p99 < <(load one 10 "$(address balancer)")
read -r direct_rps direct_p50 direct_p99 < <(load direct 3 "$(address elman-1)")
compose start elman-2 >/dev/null 2>&1
wait_healthy elman-2
sleep 3
read -r two_rps two_p50 two_p99 < <(load two 20 "$(address balancer)")

long=$(curl -s -o /dev/null -w '%header{location}' "$url/train/upload" -F corpus=@"$work/addition.txt" \
	-F format=delimited -F name=long -F epochs=40)
read -r _ victim _ _ < <(wait_state "$long" "state == 'RUNNING' and epochs >= 2")
docker kill "$(compose ps -q "$victim")" >/dev/null
killed=$(date +%s%N)
read -r _ heir _ _ < <(wait_state "$long" "state == 'RUNNING' and attempts == 2")
takeover=$((($(date +%s%N) - killed) / 1000000))

echo
printf '%-58s %10s %10s %10s\n' "POST /generate, 1 input, 32 connections" "req/s" "p50" "p99"
printf '%-58s %10s %10s %10s\n' "via HAProxy, two replicas" "$two_rps" "$two_p50" "$two_p99"
printf '%-58s %10s %10s %10s\n' "via HAProxy, one replica (the other stopped)" "$one_rps" "$one_p50" "$one_p99"
printf '%-58s %10s %10s %10s\n' "straight to that one replica" "$direct_rps" "$direct_p50" "$direct_p99"
echo "job on $victim taken over by $heir ${takeover} ms after docker kill (heartbeat 1 s, 4 missed)"
