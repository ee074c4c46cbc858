#!/usr/bin/env python3
"""Crash soak: drives walk-in check-ins at full speed against the real
`swabline serve` on loopback, kills it with SIGKILL at a random moment,
checks the database, restarts it, and repeats.

After every kill it checks that every request answered 2xx is on disk
exactly once (resident registered once, one ticket this round) and that
`PRAGMA integrity_check` says ok. Requests cut off by the kill had no
answer, so either outcome is allowed for them; they are counted apart.
Bounded: CYCLES kills, each with at most LOAD_SECONDS of load; loopback only.

    python3 scripts/soak.py --binary .build/release/swabline --cycles 100
"""
import argparse
import collections
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "Benchmarks", "http"))
from make_site import id_number  # noqa: E402  (valid, unique synthetic ID numbers)

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
SITES = ["fangfeiyuan", "huaxiali", "xianghe-xincheng"]


def post(port, path, token, body):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", data=json.dumps(body).encode(), method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return reply.status
    except urllib.error.HTTPError as error:
        try:
            return f"{error.code} {json.loads(error.read()).get('code')}"
        except ValueError:
            return f"{error.code}"


def wait_ready(port, process, log, limit=30.0):
    start = time.time()
    while time.time() - start < limit:
        if process.poll() is not None:
            with open(log, encoding="utf-8", errors="replace") as f:
                raise SystemExit(f"the server exited with {process.returncode} before answering:\n{f.read()[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as reply:
                if reply.status == 200:
                    return time.time() - start
        except OSError:
            time.sleep(0.01)
    raise SystemExit("the server never answered /healthz")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=os.path.join(REPO, ".build", "release", "swabline"))
    parser.add_argument("--cycles", type=int, default=100)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--load-seconds", type=float, default=1.5, help="the most load before each kill")
    parser.add_argument("--seed", type=int, default=2022)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    work = tempfile.mkdtemp(prefix="swabline-soak-")
    db = os.path.join(work, "soak.sqlite")
    sites = os.path.join(REPO, "sites")
    base = [args.binary]
    tokens = {}
    for site in SITES:
        tokens[site] = subprocess.run(
            base + ["tokens", "create", "--role", "staff", "--site", site, "--db", db, "--sites", sites],
            check=True, capture_output=True, text=True).stdout.strip()

    acknowledged, unanswered, refused = [], 0, collections.Counter()
    next_index = 0
    lock = threading.Lock()
    restarts = []
    try:
        for cycle in range(args.cycles):
            log = os.path.join(work, "server.log")
            for attempt in range(5):
                # A random loopback port may be taken by something else: then try another.
                port = rng.randint(20000, 60000)
                with open(log, "w") as out:
                    server = subprocess.Popen(
                        base + ["serve", "--port", str(port), "--db", db, "--sites", sites, "--log-level", "error"],
                        stdout=out, stderr=subprocess.STDOUT)
                try:
                    restarts.append(wait_ready(port, server, log))
                    break
                except SystemExit as failure:
                    if "Address already in use" not in str(failure) or attempt == 4:
                        raise
            stop = threading.Event()
            answered = []

            def client():
                nonlocal next_index, unanswered
                while not stop.is_set():
                    with lock:
                        index = next_index
                        next_index += 1
                    site = SITES[index % len(SITES)]
                    code = f"SOAK{index:07d}"
                    body = {"resident_code": code, "name": "压测", "id_number": id_number(10_000_000 + index),
                            "phone": f"139{index:08d}", "building": "99", "unit": "1", "room": str(index)}
                    try:
                        status = post(port, f"/v1/sites/{site}/checkins", tokens[site], body)
                    except OSError:
                        with lock:
                            unanswered += 1
                        continue
                    with lock:
                        if isinstance(status, int) and 200 <= status < 300:
                            answered.append(code)
                        else:
                            refused[status] += 1

            threads = [threading.Thread(target=client) for _ in range(args.clients)]
            for thread in threads:
                thread.start()
            time.sleep(rng.uniform(0.05, args.load_seconds))
            stop.set()  # no new requests; those in flight are cut off by the kill
            server.send_signal(signal.SIGKILL)
            server.wait()
            for thread in threads:
                thread.join()
            acknowledged.extend(answered)

            connection = sqlite3.connect(db)
            check = connection.execute("PRAGMA integrity_check").fetchall()
            if check != [("ok",)]:
                raise SystemExit(f"cycle {cycle}: integrity_check says {check}")
            counts = dict(connection.execute(
                """SELECT r.code, count(t.id) FROM resident r JOIN ticket t ON t.resident_id = r.id
                   WHERE r.code LIKE 'SOAK%' GROUP BY r.code""").fetchall())
            connection.close()
            lost = [code for code in acknowledged if counts.get(code) != 1]
            if lost:
                raise SystemExit(f"cycle {cycle}: {len(lost)} acknowledged check-ins are not on disk exactly once: {lost[:5]}")
            print(f"cycle {cycle + 1}/{args.cycles}: {len(answered)} acknowledged this cycle, "
                  f"{len(acknowledged)} in all, all on disk once; restart {restarts[-1]:.2f} s", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    restarts.sort()
    print(f"RESULT cycles={args.cycles} acknowledged={len(acknowledged)} lost=0 unanswered={unanswered} "
          f"refused={sum(refused.values())} {dict(refused)} restart_p50_s={restarts[len(restarts) // 2]:.2f} restart_max_s={restarts[-1]:.2f}")


if __name__ == "__main__":
    main()
