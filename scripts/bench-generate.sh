#!/usr/bin/env bash
# Load test of POST /generate over real HTTP on loopback, with wrk sharing the machine's cores:
# trains and publishes the book's addition model, starts the packaged service on it, and prints
#   - the median latency of single-input requests from one client,
#   - requests/s at 64 connections for GET /actuator/health/liveness and for single-input
#     generate requests, with dynamic batching on and off,
#   - sequences/s with 32 inputs per request,
#   - the resident memory of the service before and after 100,000 more generate requests.
#
#   scripts/bench-generate.sh [--seconds N] [--epochs N]
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=10 epochs=10 port=18080
while [ $# -gt 0 ]; do
	case "$1" in
		--seconds) seconds="$2"; shift ;;
		--epochs) epochs="$2"; shift ;;
		*) echo "unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
command -v wrk >/dev/null || apt-get install -y -q wrk >/dev/null

work=target/bench-generate
rm -rf "$work" && mkdir -p "$work"
./mvnw -q -B -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/bench.classpath \
	-Dmdep.includeScope=test
classpath="target/classes:target/test-classes:$(cat target/bench.classpath)"
OMP_NUM_THREADS=1 java -cp "$classpath" dev.elman.bench.PublishAdditionModel ../shared/datasets/addition.txt \
	"$work/data/models" adder "$epochs" 2>/dev/null | grep published

pid=""
start_service() {
	OMP_NUM_THREADS=1 java -XX:+UseParallelGC -jar target/elman.jar --server.port=$port \
		--elman.data-dir="$work/data" "$@" > "$work/service.log" 2>&1 &
	pid=$!
	for _ in $(seq 1 120); do
		curl -sf "localhost:$port/actuator/health/readiness" >/dev/null && return 0
		sleep 0.5
	done
	echo "the service did not start; see $work/service.log" >&2
	exit 1
}
stop_service() {
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}
trap stop_service EXIT

cat > "$work/batch32.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
	local inputs = {}
	for i = 1, 32 do
		inputs[i] = string.format('"%d+%d"', math.random(0, 999), math.random(0, 999))
	end
	return wrk.format(nil, nil, nil, '{"model":"adder","inputs":[' .. table.concat(inputs, ",") .. ']}')
end
LUA
url="http://localhost:$port"
rps() { grep 'Requests/sec' | awk '{print $2}'; }
errors() { grep -E 'Non-2xx|Socket errors' || true; }
run() { # connections script path
	wrk -t2 -c"$1" -d"${seconds}s" --latency ${2:+-s "$2"} "$url$3" > "$work/last.txt"
	errors < "$work/last.txt"
}
rss() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }

start_service
run 4 scripts/wrk/generate-one-sum.lua /generate > /dev/null            # warm-up
wrk -t1 -c1 -d"${seconds}s" --latency -s scripts/wrk/generate-one-sum.lua "$url/generate" > "$work/latency.txt"
latency=$(awk '/ 50%/ {print $2}' "$work/latency.txt"); errors < "$work/latency.txt"
# The same single client on the cheapest endpoint: what HTTP alone costs in this process.
wrk -t1 -c1 -d"${seconds}s" --latency "$url/actuator/health/liveness" > "$work/probe.txt"
probe=$(awk '/ 50%/ {print $2}' "$work/probe.txt"); errors < "$work/probe.txt"
run 64 "" /actuator/health/liveness; liveness=$(rps < "$work/last.txt")
run 64 scripts/wrk/generate-one-sum.lua /generate; batched=$(rps < "$work/last.txt")
run 64 "$work/batch32.lua" /generate; batch32=$(rps < "$work/last.txt")
before=$(rss)
total=0
while [ "$total" -lt 100000 ]; do
	wrk -t2 -c64 -d"${seconds}s" -s scripts/wrk/generate-one-sum.lua "$url/generate" > "$work/memory.txt"
	errors < "$work/memory.txt"
	total=$((total + $(awk '/requests in/ {print $1}' "$work/memory.txt")))
done
after=$(rss)
stop_service

start_service --elman.generation.max-batch-size=1
run 4 scripts/wrk/generate-one-sum.lua /generate > /dev/null
run 64 scripts/wrk/generate-one-sum.lua /generate; unbatched=$(rps < "$work/last.txt")
stop_service

python3 - "$latency" "$liveness" "$batched" "$unbatched" "$batch32" "$before" "$after" "$total" "$probe" <<'PY'
import sys
latency, liveness, batched, unbatched, batch32, before, after, total, probe = sys.argv[1:]
def ms(text):
    return float(text[:-2]) if text.endswith("ms") else float(text[:-2]) / 1000 if text.endswith("us") else float(text[:-1]) * 1000
liveness, batched, unbatched, batch32 = map(float, (liveness, batched, unbatched, batch32))
before, after = int(before), int(after)
print()
print("%-62s %12s %s" % ("", "measured", "goal"))
print("%-62s %9.3f ms %s" % ("median latency, 1 client, 1 input", ms(latency), "<= 1 ms, and <= 2x the probe's"))
print("%-62s %9.3f ms  generate / probe x%.2f" % ("median latency, 1 client, GET /actuator/health/liveness", ms(probe), ms(latency) / ms(probe)))
print("%-62s %8.0f /s" % ("GET /actuator/health/liveness, 64 connections", liveness))
print("%-62s %8.0f /s  %.0f%% of liveness (>= 50%%)" % ("POST /generate, 1 input, 64 connections, batching on", batched, 100 * batched / liveness))
print("%-62s %8.0f /s  on/off x%.2f (>= 2)" % ("POST /generate, 1 input, 64 connections, batching off", unbatched, batched / unbatched))
print("%-62s %8.0f /s  (>= 30000)" % ("sequences/s, 32 inputs per request, 64 connections", 32 * batch32))
print("%-62s %5d -> %d MiB  %+.1f%% (< 10%%)" % ("resident memory around %d generate requests" % int(total), before // 1024, after // 1024, 100.0 * (after - before) / before))
PY
