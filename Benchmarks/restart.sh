#!/usr/bin/env bash
# Restart after kill -9 on a city-sized store: fills a database with RESIDENTS
# residents (default 25 million, in households of three), starts the release
# server on it, drives check-ins, kills it with SIGKILL mid-load, starts it
# again and times how long until it answers; then drives DURATION seconds of
# check-ins spread over the whole store (wrk, Benchmarks/http/city.lua) and
# reports the server's resident set size (VmRSS now, VmHWM its peak).
# Loopback only, bounded.
#
#   Benchmarks/restart.sh                  # 25,000,000 residents (a few minutes to fill)
#   RESIDENTS=1000000 Benchmarks/restart.sh
set -euo pipefail
cd "$(dirname "$0")/.."
residents=${RESIDENTS:-25000000}
# SWABLINE_BIN names an already built release binary (skips the build).
bin=${SWABLINE_BIN:-}
if [ -z "$bin" ]; then swift build -c release --product swabline >&2; bin="$(swift build -c release --show-bin-path)/swabline"; fi
work=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

# The schema and the bench site, through the real start-up path.
python3 Benchmarks/http/make_site.py "$work/sites" 3
token=$("$bin" tokens create --role staff --site bench0 --db "$work/db.sqlite" --sites "$work/sites")
# Millions of residents, inserted inside SQLite (a roster this size would take far longer to import row by row).
python3 - "$work/db.sqlite" "$residents" <<'PY'
import sqlite3, sys, time
db, n = sqlite3.connect(sys.argv[1]), int(sys.argv[2])
t = time.time()
db.execute("PRAGMA journal_mode=WAL")
db.execute(f"""WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < {n // 3 + 1})
  INSERT INTO household (site_id, key, building, unit, room)
  SELECT 'bench0', 'x' || x, CAST(x / 1000 AS TEXT), '1', CAST(x % 1000 AS TEXT) FROM c""")
first = db.execute("SELECT min(id) FROM household WHERE key LIKE 'x%'").fetchone()[0]
db.execute(f"""WITH RECURSIVE c(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM c WHERE x < {n - 1})
  INSERT INTO resident (code, site_id, household_id, name, id_number, phone, priority, single_tube, walk_in, registered_at)
  SELECT printf('C%09d', x), 'bench0', {first} + x / 3, '居民', '11010519491231002X', '13812345678', 0, 0, 0, '2022-04-05T00:00:00Z' FROM c""")
db.commit()
print(f"filled {db.execute('SELECT count(*) FROM resident').fetchone()[0]:,} residents in {time.time() - t:.0f} s", file=sys.stderr)
PY
ls -la "$work/db.sqlite" >&2

serve() { "$bin" serve --port 18090 --db "$work/db.sqlite" --sites "$work/sites" --log-level warning & pid=$!; }
ready_after() {
  local start=$1
  for _ in $(seq 1 600); do
    if curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:18090/healthz | grep -q 200; then
      python3 -c "import time; print(f'{time.time() - $start:.2f}')"; return 0
    fi
    sleep 0.01
  done
  echo "never answered" >&2; exit 1
}
start=$(python3 -c 'import time; print(time.time())'); serve; first=$(ready_after "$start")
# Load, then SIGKILL in the middle of it.
for i in $(seq 0 199); do
  curl -s -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d "{\"resident_code\":\"$(printf 'C%09d' "$i")\"}" http://127.0.0.1:18090/v1/sites/bench0/checkins &
done
sleep 0.2; kill -9 "$pid"; wait 2>/dev/null || true
start=$(python3 -c 'import time; print(time.time())'); serve; again=$(ready_after "$start")
check=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"resident_code":"C000000500"}' http://127.0.0.1:18090/v1/sites/bench0/checkins)
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
load=$(SWABLINE_TOKEN=$token SWABLINE_RESIDENTS=$residents \
  wrk -t2 -c64 -d"${DURATION:-10}s" --timeout 10s -s Benchmarks/http/city.lua http://127.0.0.1:18090 | grep '^RESULT')
mb() { awk -v key="$1:" '$1 == key { printf "%d", $2 / 1024 }' "/proc/$pid/status"; }
rss=$(mb VmRSS); peak=$(mb VmHWM)
rate=$(python3 -c "r='$load'; f=dict(x.split('=') for x in r.split()[1:]); print(round(float(f['requests']) / float(f['seconds'])))")
echo "| store | first start | restart after kill -9 | check-in after restart | check-ins over the whole store, 64 connections | RSS after, peak |"
echo "| --- | --- | --- | --- | --- | --- |"
echo "| $(printf "%'d" "$residents") residents | ${first} s | ${again} s | HTTP $check | $rate/s ($load) | $rss MB, $peak MB |"
