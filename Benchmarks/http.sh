#!/usr/bin/env bash
# HTTP load benchmark, loopback only, bounded in time: durable check-ins over
# HTTP against the real server, beside the ceiling measured in the same run
# with the same load generator (wrk): a bare Hummingbird route echoing a
# small JSON body. Release build. Prints a table with the ratio.
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

"$bin" bench echo --port 18081 & pids+=($!)
wait_for 18081 healthz || true
echo_result=$(load http://127.0.0.1:18081/echo Benchmarks/http/echo.lua)
kill "${pids[0]}"

python3 Benchmarks/http/make_site.py "$work/sites" "$residents" "$sites"
tokens=$(for s in $(seq 0 $((sites - 1))); do "$bin" tokens create --role staff --site "bench$s" --db "$work/db.sqlite" --sites "$work/sites"; done | paste -sd,)
"$bin" serve --port 18080 --db "$work/db.sqlite" --sites "$work/sites" --log-level warning & pids+=($!)
wait_for 18080 healthz
checkin_result=$(SWABLINE_TOKENS=$tokens SWABLINE_PER_THREAD=$((residents / 2)) load http://127.0.0.1:18080 Benchmarks/http/checkin.lua)
stored=$(python3 - "$work/db.sqlite" <<'PY'
import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("select count(*) from ticket").fetchone()[0])
PY
)

rate() { python3 -c "print(round($(field "$1" requests) / $(field "$1" seconds)))"; }
echo_rate=$(rate "$echo_result"); checkin_rate=$(rate "$checkin_result")
echo
echo "| figure ($connections connections, ${duration} s, $(nproc) cores) | per second | p50 ms | p99 ms | errors | ratio to ceiling |"
echo "| --- | --- | --- | --- | --- | --- |"
echo "| ceiling: bare Hummingbird echo route | $echo_rate | $(field "$echo_result" p50_ms) | $(field "$echo_result" p99_ms) | $(field "$echo_result" errors) | 1 |"
echo "| durable check-ins at $sites gates (synchronous = FULL, group commit) | $checkin_rate | $(field "$checkin_result" p50_ms) | $(field "$checkin_result" p99_ms) | $(field "$checkin_result" errors) | $(python3 -c "print(round($checkin_rate / $echo_rate, 2))") |"
echo "check-ins on disk after the run: $stored"
