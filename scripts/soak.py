#!/usr/bin/env python3
"""Crash soak: drives walk-in check-ins and signed lab results at full speed
against the real `swabline serve` on loopback, kills it with SIGKILL at a
random moment, checks the database, restarts it, and repeats.

Setup, on a first start and all through the HTTP API: TUBES tubes of walk-in
residents (three in four single tubes, every fourth a pooled5 tube of three
people), sealed, boxed, the box sealed, picked up and handed over by a courier
and received by the lab's signed `box.received` webhook: ready for results.

Each cycle: CLIENTS threads check walk-ins in, LAB_CLIENTS threads post signed
`tube.results` deliveries (1 to 5 tubes each, about one in ten positive, a new
webhook-id each) until the kill; when the tubes run out the lab threads stop
and the check-ins go on.

After every kill it checks `PRAGMA integrity_check` (on SQLite); that every check-in
answered 2xx is on disk exactly once (resident registered once, one ticket);
that every delivery answered 2xx is applied exactly once (its webhook_delivery
row, each tube's result and one `resulted` custody event, each sampled
resident's outcome: negative, positive for a single tube, pool_positive for a
pool); that a delivery cut off by the kill is applied whole or not at all, and
that no tube nobody acknowledged has a result. After each restart a sample of
acknowledged deliveries is posted again with the same webhook-id: the answer
must be the stored one, byte for byte, with `webhook-replayed: true`.
Bounded: CYCLES kills, each with at most LOAD_SECONDS of load, TUBES tubes;
loopback only; the temporary folder is removed at the end.

    python3 scripts/soak.py --binary .build/release/swabline --cycles 100
    python3 scripts/soak.py --database postgres://swabline@127.0.0.1:55432/swabline?schema=soak
"""
import argparse
import base64
import collections
import concurrent.futures
import csv
import hashlib
import hmac
import http.client
import itertools
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
import tomllib
import urllib.error
import urllib.parse
import urllib.request
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "Benchmarks", "http"))
from make_site import id_number  # noqa: E402  (valid, unique synthetic ID numbers)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from loopback import unused_port  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
SITES = ["fangfeiyuan", "huaxiali", "xianghe-xincheng"]
# Lab-side residents' ID numbers start at id_number(LAB_ID_BASE), years away from the check-in clients' 10,000,000 + i.
LAB_ID_BASE = 5_000_000
TUBES_PER_BOX = 50
CONNECTION_ERRORS = (OSError, http.client.HTTPException)


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


class Client:
    """One keep-alive HTTP/1.1 connection to the server on loopback."""

    def __init__(self, port):
        self.port = port
        self.connection = None

    def request(self, path, body=None, headers=None):
        """POSTs; returns (status, headers, body). A connection error is raised after closing the connection."""
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            self.connection.request("POST", path, body=body if body is not None else b"", headers=headers or {})
            reply = self.connection.getresponse()
            return reply.status, reply.headers, reply.read()
        except CONNECTION_ERRORS:
            self.close()
            raise

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def sign(secret, webhook_id, body):
    """Standard Webhooks headers for `body`, signed now with a lab's whsec_ secret."""
    timestamp = str(int(time.time()))
    key = base64.b64decode(secret.removeprefix("whsec_"))
    mac = hmac.new(key, f"{webhook_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return {"Content-Type": "application/json", "webhook-id": webhook_id, "webhook-timestamp": timestamp,
            "webhook-signature": "v1," + base64.b64encode(mac).decode()}


def expected_outcome(result, mode):
    if result == "negative":
        return "negative"
    return "pool_positive" if mode != "single" else "positive"


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
        except CONNECTION_ERRORS:
            time.sleep(0.01)
    raise SystemExit("the server never answered /healthz")


def site_configs(sites_folder):
    """Each site's site.toml, by its id."""
    configs = {}
    for folder in os.listdir(sites_folder):
        path = os.path.join(sites_folder, folder, "site.toml")
        if os.path.exists(path):
            with open(path, "rb") as f:
                config = tomllib.load(f)
            configs[config["id"]] = config
    return configs


def start_server(binary, database, sites_folder, log, rng):
    """Starts `swabline serve` on a random loopback port below the ephemeral range (another one if that is taken) and waits until it answers.
    Returns (process, port, seconds to ready)."""
    for attempt in range(5):
        port = unused_port(rng)
        with open(log, "w") as out:
            process = subprocess.Popen(
                [binary, "serve", "--port", str(port), "--db", database, "--sites", sites_folder, "--log-level", "error"],
                stdout=out, stderr=subprocess.STDOUT)
        try:
            return process, port, wait_ready(port, process, log, limit=60)
        except SystemExit as failure:
            if "Address already in use" not in str(failure) or attempt == 4:
                raise


def setup_tubes(port, count, sites_folder, sites_config, tokens, courier, secrets, workers):
    """Prepares `count` tubes ready for results, through the API only. Returns {tube: {...}}."""
    lab_sites = [site for site in SITES if sites_config[site]["lab"] in secrets]
    stations = [(site, station["id"]) for site in lab_sites for station in sites_config[site]["stations"]]
    # Made-up ID numbers may match a roster's (its people are registered when the sites load): skip those.
    taken = set()
    for folder in os.listdir(sites_folder):
        roster = os.path.join(sites_folder, folder, "roster.csv")
        if os.path.exists(roster):
            with open(roster, encoding="utf-8", newline="") as f:
                taken |= {row["id_number"] for row in csv.DictReader(f)}
    candidates = (number for number in map(id_number, itertools.count(LAB_ID_BASE)) if number not in taken)
    plan, resident, id_numbers = {}, 0, {}
    for i in range(count):
        site, station = stations[i % len(stations)]
        mode, people = ("pooled5", 3) if i % 4 == 3 else ("single", 1)
        plan[f"SOAK-T{i:06d}"] = {"site": site, "station": station, "lab": sites_config[site]["lab"], "mode": mode,
                                  "residents": list(range(resident, resident + people))}
        for r in range(resident, resident + people):
            id_numbers[r] = next(candidates)
        resident += people
    local = threading.local()

    def call(path, token, body=None, expect=(200, 201)):
        client = getattr(local, "client", None) or Client(port)
        local.client = client
        headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": str(uuid.uuid4())}
        data = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            data = json.dumps(body).encode()
        # The same Idempotency-Key makes asking again safe: after no answer, after 503 (nothing
        # written), and after 409 idempotency_key_in_flight (the first copy is still being answered).
        deadline = time.time() + 60
        while True:
            try:
                status, _, answer = client.request(path, data, headers)
                if status not in (409, 503) or (status == 409 and b"idempotency_key_in_flight" not in answer):
                    break
            except CONNECTION_ERRORS:
                if time.time() > deadline:
                    raise
                continue
            if time.time() > deadline:
                break
            time.sleep(0.2)
        if status not in expect:
            raise SystemExit(f"setup: POST {path} {body} answered {status}: {answer[:300]!r}")
        return answer

    def prepare_station(tubes):
        for tube in tubes:
            entry = plan[tube]
            site = entry["site"]
            for r in entry["residents"]:
                call(f"/v1/sites/{site}/checkins", tokens[site], {
                    "resident_code": f"SLR{r:07d}", "name": "化验", "id_number": id_numbers[r],
                    "phone": f"137{r:08d}", "building": "98", "unit": "1", "room": str(r)}, expect=(201,))
            call(f"/v1/sites/{site}/tubes", tokens[site], {"tube": tube, "station": entry["station"], "mode": entry["mode"]}, (201,))
            for r in entry["residents"]:
                call(f"/v1/tubes/{tube}/samples", tokens[site], {"resident_code": f"SLR{r:07d}"}, (201,))
            call(f"/v1/tubes/{tube}/seal", tokens[site])

    def ship_box(site, box, tubes):
        lab = sites_config[site]["lab"]
        call(f"/v1/sites/{site}/boxes", tokens[site], {"box": box}, (201,))
        for tube in tubes:
            call(f"/v1/boxes/{box}/tubes", tokens[site], {"tube": tube})
        call(f"/v1/boxes/{box}/seal", tokens[site])
        call(f"/v1/boxes/{box}/pickup", courier, {"tube_count": len(tubes), "temperature_c": 4.5})
        call(f"/v1/boxes/{box}/handover", courier)
        body = json.dumps({"type": "box.received", "timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                           "data": {"box": box, "tube_count": len(tubes)}}).encode()
        client = local.client
        status, _, answer = client.request(f"/v1/labs/{lab}/webhooks", body, sign(secrets[lab], f"soak-receipt-{box}", body))
        if status != 200:
            raise SystemExit(f"setup: box.received for {box} answered {status}: {answer[:300]!r}")

    by_station = collections.defaultdict(list)
    for tube, entry in plan.items():
        by_station[(entry["site"], entry["station"])].append(tube)
    boxes = []
    for site in lab_sites:
        tubes = [tube for tube, entry in plan.items() if entry["site"] == site]
        for n in range(0, len(tubes), TUBES_PER_BOX):
            boxes.append((site, f"SOAK-B-{site}-{n // TUBES_PER_BOX:04d}", tubes[n:n + TUBES_PER_BOX]))
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(by_station)) as pool:
        for future in [pool.submit(prepare_station, tubes) for tubes in by_station.values()]:
            future.result()
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        for future in [pool.submit(ship_box, *box) for box in boxes]:
            future.result()
    return plan, len(boxes), resident


class Psql:
    """Reads the database as the soak's checks read SQLite: `execute(sql).fetchall()` gives tuples,
    integers as int and NULL as None, from the primary among the listed hosts."""

    NULL = "\x01NULL\x01"

    def __init__(self, url):
        # libpq knows no `schema=` parameter (swabline's own): it becomes the session's search_path.
        parts = urllib.parse.urlsplit(url)
        query = urllib.parse.parse_qsl(parts.query)
        schemas = [value for key, value in query if key == "schema"]
        query = [(key, value) for key, value in query if key != "schema"] + [("target_session_attrs", "read-write")]
        if schemas:
            query.append(("options", f"-csearch_path={schemas[0]}"))
        self.url = urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))

    def execute(self, sql):
        out = subprocess.run(["psql", self.url, "-X", "-At", "-F", "\x1f", "-P", f"null={self.NULL}", "-c", sql],
                             check=True, capture_output=True, text=True).stdout
        rows = [tuple(self.value(field) for field in line.split("\x1f")) for line in out.splitlines() if line]
        return Rows(rows)

    @classmethod
    def value(cls, text):
        if text == cls.NULL:
            return None
        return int(text) if text.lstrip("-").isdigit() else text

    def close(self):
        pass


class Rows(list):
    def fetchall(self):
        return list(self)

    def fetchone(self):
        return self[0] if self else None


def check_lab(connection, plan, acknowledged, cut_off, refused):
    """Every acknowledged delivery applied exactly once; cut-off ones whole or not at all; nothing else applied.
    Returns (problems, cut off and applied, cut off and not applied)."""
    problems = []
    stored = {row[0] for row in connection.execute("SELECT webhook_id FROM webhook_delivery WHERE webhook_id LIKE 'msg_soak_%'")}
    tubes = {code: (state, result) for code, state, result in connection.execute(
        "SELECT code, state, result FROM tube WHERE code LIKE 'SOAK-T%'")}
    events = dict(connection.execute(
        """SELECT code, count(*) FROM custody_event WHERE subject = 'tube' AND event = 'resulted' AND code LIKE 'SOAK-T%'
           GROUP BY code""").fetchall())
    members = collections.defaultdict(dict)
    for tube, resident, status in connection.execute(
            """SELECT s.tube_code, r.code, o.status FROM sample s JOIN resident r ON r.id = s.resident_id
               LEFT JOIN outcome o ON o.round_id = s.round_id AND o.resident_id = s.resident_id
               WHERE s.tube_code LIKE 'SOAK-T%'"""):
        members[tube][resident] = status

    def tube_problems(tube, result):
        """What is wrong with `tube` if it should carry `result` (None: no result)."""
        entry, found = plan[tube], []
        state, recorded = tubes.get(tube, (None, None))
        want_state, want_outcome = ("resulted", expected_outcome(result, entry["mode"])) if result else ("received", "pending")
        if (state, recorded) != (want_state, result):
            found.append(f"state/result {state}/{recorded}, expected {want_state}/{result}")
        if events.get(tube, 0) != (1 if result else 0):
            found.append(f"{events.get(tube, 0)} 'resulted' custody events, expected {1 if result else 0}")
        residents = {f"SLR{r:07d}" for r in entry["residents"]}
        if set(members[tube]) != residents:
            found.append(f"samples of {sorted(members[tube])}, expected {sorted(residents)}")
        wrong = {code: status for code, status in members[tube].items() if status != want_outcome}
        if wrong:
            found.append(f"outcomes {wrong}, expected {want_outcome}")
        return found

    seen = set()
    for delivery in acknowledged:
        if delivery["id"] not in stored:
            problems.append(f"acknowledged delivery {delivery['id']} has no webhook_delivery row")
        for tube, result in delivery["results"]:
            seen.add(tube)
            problems += [f"acknowledged delivery {delivery['id']}, tube {tube}: {p}" for p in tube_problems(tube, result)]
    applied = not_applied = 0
    for kind, delivery in [("cut-off", d) for d in cut_off] + [("refused", d) for d in refused]:
        present = delivery["id"] in stored
        if present and kind == "cut-off":
            applied += 1
        elif kind == "cut-off":
            not_applied += 1
        if present and kind == "refused":
            problems.append(f"refused delivery {delivery['id']} ({delivery.get('status')}) has a webhook_delivery row")
        resulted = sum(1 for tube, _ in delivery["results"] if tubes.get(tube, (None, None))[1] is not None)
        if resulted not in (0, len(delivery["results"])) or (resulted > 0) != present:
            problems.append(f"HALF-APPLIED {kind} delivery {delivery['id']}: webhook_delivery row {'present' if present else 'absent'}, "
                            f"{resulted} of {len(delivery['results'])} tubes resulted: "
                            f"{[(tube, tubes.get(tube)) for tube, _ in delivery['results']]}")
        for tube, result in delivery["results"]:
            seen.add(tube)
            problems += [f"{kind} delivery {delivery['id']}, tube {tube}: {p}"
                         for p in tube_problems(tube, result if present and kind == "cut-off" else None)]
    for tube in plan:
        if tube not in seen:
            problems += [f"never posted tube {tube}: {p}" for p in tube_problems(tube, None)]
    return problems, applied, not_applied


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=os.path.join(REPO, ".build", "release", "swabline"))
    parser.add_argument("--cycles", type=int, default=100)
    parser.add_argument("--clients", type=int, default=16, help="check-in threads")
    parser.add_argument("--lab-clients", type=int, default=2, help="threads posting lab results (0: none)")
    parser.add_argument("--tubes", type=int, default=8000,
                        help="tubes prepared for results before the kills (about 75 a cycle go at full speed on a debug build)")
    parser.add_argument("--replays", type=int, default=3, help="acknowledged deliveries posted again after each restart")
    parser.add_argument("--load-seconds", type=float, default=1.5, help="the most load before each kill")
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--database", help="a postgres:// URL to soak on (default: a SQLite file in a temporary folder); "
                                           "only swabline is killed, so its checks leave out SQLite's integrity_check")
    args = parser.parse_args()
    if not (0 <= args.tubes <= 100_000 and 1 <= args.cycles <= 10_000 and 0 < args.load_seconds <= 60):
        raise SystemExit("--tubes, --cycles or --load-seconds out of bounds")
    rng = random.Random(args.seed)
    work = tempfile.mkdtemp(prefix="swabline-soak-")
    db = args.database or os.path.join(work, "soak.sqlite")
    on_postgres = db.startswith(("postgres://", "postgresql://"))
    if args.database and not on_postgres:
        raise SystemExit("--database must be a postgres:// URL")

    def open_database():
        return Psql(db) if on_postgres else sqlite3.connect(db)
    sites = os.path.join(REPO, "sites")
    sites_config = site_configs(sites)
    base = [args.binary]
    server = None

    def cli(*arguments):
        return subprocess.run(base + list(arguments) + ["--db", db, "--sites", sites],
                              check=True, capture_output=True, text=True).stdout.strip()

    def start(log):
        nonlocal server
        server, port, ready_after = start_server(args.binary, db, sites, log, rng)
        return port, ready_after

    tokens = {site: cli("tokens", "create", "--role", "staff", "--site", site) for site in SITES}
    courier = cli("tokens", "create", "--role", "courier", "--label", "soak courier")
    labs = sorted({sites_config[site]["lab"] for site in SITES})
    secrets = {lab: cli("labs", "add", lab) for lab in labs}

    acknowledged, unanswered, refused = [], 0, collections.Counter()
    lab_acknowledged, lab_cut_off, lab_refused, lab_refusals = [], [], [], collections.Counter()
    replays = 0
    lab_errors = []
    next_index = 0
    next_delivery = 0
    lock = threading.Lock()
    restarts = []
    try:
        log = os.path.join(work, "server.log")
        plan, box_count, resident_count = {}, 0, 0
        if args.tubes and args.lab_clients:
            port, _ = start(log)
            started = time.time()
            plan, box_count, resident_count = setup_tubes(port, args.tubes, sites, sites_config, tokens, courier, secrets, workers=8)
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            connection = open_database()
            ready = connection.execute("SELECT count(*) FROM tube WHERE code LIKE 'SOAK-T%' AND state = 'received'").fetchone()[0]
            connection.close()
            if ready != args.tubes:
                raise SystemExit(f"setup: {ready} of {args.tubes} tubes received by their lab")
            print(f"setup: {args.tubes} tubes ({resident_count} residents, {box_count} boxes) received by "
                  f"{', '.join(labs)} in {time.time() - started:.1f} s", flush=True)
        remaining = {lab: [tube for tube, entry in plan.items() if entry["lab"] == lab] for lab in labs}
        for tubes in remaining.values():
            rng.shuffle(tubes)
        answers = {}  # webhook-id -> the acknowledged answer's bytes
        last_cycle_deliveries = []
        for cycle in range(args.cycles):
            port, ready_after = start(log)
            restarts.append(ready_after)

            # Redeliveries of acknowledged deliveries, the ones acked just before the kill first.
            pool = last_cycle_deliveries or lab_acknowledged
            for delivery in rng.sample(pool, min(args.replays, len(pool))):
                client = Client(port)
                status, headers, answer = client.request(
                    f"/v1/labs/{delivery['lab']}/webhooks", delivery["body"], sign(secrets[delivery["lab"]], delivery["id"], delivery["body"]))
                client.close()
                if status != 200 or headers.get("webhook-replayed") != "true" or answer != answers[delivery["id"]]:
                    raise SystemExit(f"cycle {cycle}: redelivery of acknowledged {delivery['id']} answered {status}, "
                                     f"webhook-replayed {headers.get('webhook-replayed')!r}, {answer[:300]!r}; "
                                     f"first answer {answers[delivery['id']][:300]!r}")
                replays += 1

            stop = threading.Event()
            answered, delivered = [], []

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

            def lab_client(lab, seed):
                nonlocal next_delivery
                chance = random.Random(seed)
                http_client = Client(port)
                while not stop.is_set():
                    with lock:
                        take = min(chance.randint(1, 5), len(remaining[lab]))
                        if take == 0:
                            break  # out of tubes: the check-ins go on
                        tubes = remaining[lab][-take:]
                        del remaining[lab][-take:]
                        webhook_id = f"msg_soak_{next_delivery:07d}"
                        next_delivery += 1
                    results = [(tube, "positive" if chance.random() < 0.1 else "negative") for tube in tubes]
                    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
                    body = json.dumps({"type": "tube.results", "timestamp": now, "data": {"results": [
                        {"tube": tube, "result": result, "tested_at": now} for tube, result in results]}}).encode()
                    delivery = {"lab": lab, "id": webhook_id, "body": body, "results": results, "cycle": cycle}
                    try:
                        status, headers, answer = http_client.request(f"/v1/labs/{lab}/webhooks", body, sign(secrets[lab], webhook_id, body))
                    except CONNECTION_ERRORS:
                        with lock:
                            lab_cut_off.append(delivery)
                        continue
                    with lock:
                        if 200 <= status < 300:
                            fates = json.loads(answer)
                            if fates.get("counts") != {"applied": len(results)} or headers.get("webhook-replayed"):
                                lab_errors.append(f"cycle {cycle}: delivery {webhook_id} of fresh tubes answered "
                                                  f"{answer[:300]!r}, webhook-replayed {headers.get('webhook-replayed')!r}")
                            answers[webhook_id] = answer
                            delivered.append(delivery)
                        else:
                            delivery["status"] = status
                            lab_refused.append(delivery)
                            lab_refusals[status] += 1
                http_client.close()

            threads = [threading.Thread(target=client) for _ in range(args.clients)]
            if plan:
                threads += [threading.Thread(target=lab_client, args=(labs[k % len(labs)], rng.random()))
                            for k in range(args.lab_clients)]
            for thread in threads:
                thread.start()
            time.sleep(rng.uniform(0.05, args.load_seconds))
            stop.set()  # no new requests; those in flight are cut off by the kill
            server.send_signal(signal.SIGKILL)
            server.wait()
            for thread in threads:
                thread.join()
            if lab_errors:
                raise SystemExit("\n".join(lab_errors[:20]))
            acknowledged.extend(answered)
            lab_acknowledged.extend(delivered)
            last_cycle_deliveries = delivered

            connection = open_database()
            check = [("ok",)] if on_postgres else connection.execute("PRAGMA integrity_check").fetchall()
            if check != [("ok",)]:
                raise SystemExit(f"cycle {cycle}: integrity_check says {check}")
            counts = dict(connection.execute(
                """SELECT r.code, count(t.id) FROM resident r JOIN ticket t ON t.resident_id = r.id
                   WHERE r.code LIKE 'SOAK%' GROUP BY r.code""").fetchall())
            problems, cut_applied, cut_not_applied = check_lab(connection, plan, lab_acknowledged, lab_cut_off, lab_refused)
            connection.close()
            lost = [code for code in acknowledged if counts.get(code) != 1]
            if lost:
                raise SystemExit(f"cycle {cycle}: {len(lost)} acknowledged check-ins are not on disk exactly once: {lost[:5]}")
            if problems:
                raise SystemExit(f"cycle {cycle}: {len(problems)} lab result problems:\n" + "\n".join(problems[:20]))
            tubes_left = sum(len(tubes) for tubes in remaining.values())
            print(f"cycle {cycle + 1}/{args.cycles}: {len(answered)} check-ins and {len(delivered)} lab deliveries "
                  f"acknowledged this cycle, {len(acknowledged)} and {len(lab_acknowledged)} in all, all on disk once; "
                  f"cut-off deliveries {cut_applied} applied whole, {cut_not_applied} not at all; {tubes_left} tubes left; "
                  f"restart {restarts[-1]:.2f} s", flush=True)
    finally:
        if server is not None and server.poll() is None:
            server.kill()
            server.wait()
        shutil.rmtree(work, ignore_errors=True)
    restarts.sort()
    tube_results = sum(len(delivery["results"]) for delivery in lab_acknowledged)
    positives = sum(1 for delivery in lab_acknowledged for _, result in delivery["results"] if result == "positive")
    print(f"RESULT cycles={args.cycles} acknowledged={len(acknowledged)} lost=0 unanswered={unanswered} "
          f"refused={sum(refused.values())} {dict(refused)} "
          f"lab_deliveries={len(lab_acknowledged)} lab_tube_results={tube_results} lab_positive={positives} lab_lost=0 "
          f"lab_half_applied=0 lab_cut_off={len(lab_cut_off)} (applied whole {cut_applied}, not at all {cut_not_applied}) "
          f"lab_refused={len(lab_refused)} {dict(lab_refusals)} replays_ok={replays} tubes_left={tubes_left} "
          f"restart_p50_s={restarts[len(restarts) // 2]:.2f} restart_max_s={restarts[-1]:.2f}")


if __name__ == "__main__":
    main()
