#!/usr/bin/env bash
# HTTP load benchmark, loopback only, bounded in time, against the real server,
# beside the ceiling measured in the same run with the same load generator
# (wrk): a bare Hummingbird route echoing a small JSON body. Two scenarios,
# each POST with an Idempotency-Key as a real gate sends it:
#
#   check-ins: 64 connections of new residents' check-ins at 100 gates;
#   a gate and its station: 64 gates, one connection each, each sending one
#     request at a time for 10 people: open a tube, 10 check-ins, a call,
#     about 10 samples, a seal (Benchmarks/http/station.lua).
#
# Beside the timed figures, the server's CPU time per request (utime + stime
# from /proc/PID/stat over the scenario), steadier than a rate on a shared
# machine. Release build. Prints a table with the ratios.
#
#   Benchmarks/http.sh            # 64 connections, 10 s each
#   CONNECTIONS=128 DURATION=20 Benchmarks/http.sh
set -euo pipefail
cd "$(dirname "$0")/.."
connections=${CONNECTIONS:-64}
duration=${DURATION:-10}
residents=${RESIDENTS:-400000}
sites=${SITES:-100}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }

# SWABLINE_BIN names an already built release binary (skips the build).
bin=${SWABLINE_BIN:-}
if [ -z "$bin" ]; then swift build -c release --product swabline >&2; bin="$(swift build -c release --show-bin-path)/swabline"; fi
work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

wait_for() { for _ in $(seq 1 300); do curl -s -o /dev/null "http://127.0.0.1:$1/$2" && return 0; sleep 0.1; done; echo "port $1 never answered" >&2; exit 1; }
load() { wrk -t2 -c"$connections" -d"${duration}s" --timeout 10s -s "$2" "$1" | grep '^RESULT'; }
field() { sed -E "s/.*$2=([0-9.]+).*/\1/" <<<"$1"; }
# The process's CPU time so far, in clock ticks (utime + stime).
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
ticks=$(getconf CLK_TCK)
# Server CPU microseconds per request between two readings.
per_request() { python3 -c "print(round(($2 - $1) * 1e6 / $ticks / $3))"; }

"$bin" bench echo --port 18081 & pids+=($!)
echo_pid=$!
wait_for 18081 healthz || true
before=$(cpu "$echo_pid")
echo_result=$(load http://127.0.0.1:18081/echo Benchmarks/http/echo.lua)
echo_cpu=$(per_request "$before" "$(cpu "$echo_pid")" "$(field "$echo_result" requests)")
kill "$echo_pid"

python3 Benchmarks/http/make_site.py "$work/sites" "$residents" "$sites"
tokens=$(for s in $(seq 0 $((sites - 1))); do "$bin" tokens create --role staff --site "bench$s" --db "$work/db.sqlite" --sites "$work/sites"; done | paste -sd,)
"$bin" serve --port 18080 --db "$work/db.sqlite" --sites "$work/sites" --log-level warning & pids+=($!)
server_pid=$!
wait_for 18080 healthz
# The check-ins take residents from the first and the third quarter of the roster
# (one range per wrk thread); the gates take theirs from the second quarter.
before=$(cpu "$server_pid")
checkin_result=$(SWABLINE_TOKENS=$tokens SWABLINE_PER_THREAD=$((residents / 2)) load http://127.0.0.1:18080 Benchmarks/http/checkin.lua)
checkin_cpu=$(per_request "$before" "$(cpu "$server_pid")" "$(field "$checkin_result" requests)")
gates=$connections
[ "$gates" -le "$sites" ] || { echo "the station scenario needs a site per gate: SITES >= CONNECTIONS" >&2; exit 1; }
before=$(cpu "$server_pid")
station_result=$(SWABLINE_TOKENS=$tokens SWABLINE_OFFSET=$((sites * (residents / 4 / sites))) SWABLINE_RUN="g$$" \
  wrk -t"$gates" -c"$gates" -d"${duration}s" --timeout 10s -s Benchmarks/http/station.lua http://127.0.0.1:18080 | grep '^RESULT')
station_cpu=$(per_request "$before" "$(cpu "$server_pid")" "$(field "$station_result" requests)")
read -r tickets samples sealed < <(python3 - "$work/db.sqlite" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(*(db.execute(sql).fetchone()[0] for sql in (
    "select count(*) from ticket", "select count(*) from sample", "select count(*) from tube where state = 'sealed'")))
PY
)

rate() { python3 -c "print(round($(field "$1" requests) / $(field "$1" seconds)))"; }
ratio() { python3 -c "print(round($1 / $echo_rate, 2))"; }
row() {  # name, wrk result, rate, server CPU µs per request
  echo "| $1 | $3 | $(field "$2" p50_ms) | $(field "$2" p99_ms) | $(field "$2" errors) | $4 | $(ratio "$3") |"
}
echo_rate=$(rate "$echo_result"); checkin_rate=$(rate "$checkin_result"); station_rate=$(rate "$station_result")
echo
echo "| figure (${duration} s, $(nproc) cores) | requests/s | p50 ms | p99 ms | errors | server CPU µs/request | ratio to ceiling |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
row "ceiling: bare Hummingbird echo route, $connections connections" "$echo_result" "$echo_rate" "$echo_cpu"
row "durable check-ins with Idempotency-Key, $connections connections, $sites gates" "$checkin_result" "$checkin_rate" "$checkin_cpu"
row "a gate and its station, $gates gates one request at a time (open, 10 check-ins, call, samples, seal)" \
  "$station_result" "$station_rate" "$station_cpu"
echo "on disk after the run: $tickets tickets, $samples samples, $sealed sealed tubes"
