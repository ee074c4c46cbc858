#!/usr/bin/env python3
"""Cluster test: three `swabline serve` nodes on one PostgreSQL primary with a
synchronous standby and pg_auto_failover's monitor (scripts/pg-ha-cluster),
check-ins and signed lab results spread round-robin over the nodes under
bounded concurrent load; then `kill -9` of one node, and a hard kill of the
primary (`pg_ctl stop -m immediate`) while the load goes on.

A client whose request gets no answer, 503 `database_unavailable`, or 409
`idempotency_key_in_flight` (a node still answering an earlier copy) sends the
same request again (the same Idempotency-Key, or the same webhook-id) to the
next node, as a gate's phone or a lab's system would.

Afterwards, on the new primary: every acknowledged check-in is there exactly
once, with the ticket number it was answered with; every site's ticket numbers
are contiguous, with no duplicates; every acknowledged lab delivery is applied
exactly once, and one cut off is applied whole or not at all (the soak's
checks); the standby is the primary now. Prints the time from each kill to the
cluster serving again.

Bounded: LOAD_SECONDS of load, TUBES tubes, loopback only; everything started
is stopped and the temporary folder removed at the end.

    python3 scripts/cluster_test.py --binary .build/debug/swabline
"""
import argparse
import collections
import json
import os
import random
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import uuid

from soak import CONNECTION_ERRORS, Client, Psql, check_lab, setup_tubes, sign, site_configs, start_server
from soak import REPO, SITES, id_number

PG_HA = os.path.join(REPO, "scripts", "pg-ha-cluster")


def problem_code(body):
    """The stable `code` of a problem+json answer, if it is one."""
    try:
        return json.loads(body).get("code")
    except (ValueError, AttributeError):
        return None


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=os.path.join(REPO, ".build", "debug", "swabline"))
    parser.add_argument("--nodes", type=int, default=3)
    parser.add_argument("--clients", type=int, default=12, help="check-in threads")
    parser.add_argument("--lab-clients", type=int, default=2, help="threads posting lab results")
    parser.add_argument("--tubes", type=int, default=120, help="tubes prepared for results before the load")
    parser.add_argument("--load-seconds", type=float, default=30, help="load in all; the node dies at a quarter, the primary at half")
    parser.add_argument("--base-port", type=int, default=25460, help="the monitor's port; the two database servers take the next two")
    parser.add_argument("--seed", type=int, default=2022)
    args = parser.parse_args()
    if not (2 <= args.nodes <= 8 and 1 <= args.clients <= 64 and 0 <= args.tubes <= 5_000 and 4 <= args.load_seconds <= 300):
        raise SystemExit("--nodes, --clients, --tubes or --load-seconds out of bounds")
    rng = random.Random(args.seed)
    work = tempfile.mkdtemp(prefix="swc-", dir="/tmp")  # short: the database sockets live under it
    os.chmod(work, 0o755)  # the database servers run as the postgres user when this runs as root
    ha = os.path.join(work, "ha")
    sites = os.path.join(REPO, "sites")
    sites_config = site_configs(sites)
    nodes = {}  # index -> (process, port)
    cluster_started = False
    passed = False
    try:
        started = time.time()
        url = subprocess.run([PG_HA, "start", ha, str(args.base_port)], check=True, capture_output=True, text=True).stdout.strip()
        cluster_started = True
        first_primary = int(subprocess.run([PG_HA, "primary", ha], check=True, capture_output=True, text=True).stdout.strip())
        print(f"database cluster: {url} (primary on {first_primary}, synchronous standby) in {time.time() - started:.1f} s", flush=True)

        def cli(*arguments):
            return subprocess.run([args.binary, *arguments, "--db", url, "--sites", sites],
                                  check=True, capture_output=True, text=True).stdout.strip()

        tokens = {site: cli("tokens", "create", "--role", "staff", "--site", site) for site in SITES}
        courier = cli("tokens", "create", "--role", "courier", "--label", "cluster courier")
        labs = sorted({sites_config[site]["lab"] for site in SITES})
        secrets = {lab: cli("labs", "add", lab) for lab in labs}

        for index in range(args.nodes):
            process, port, _ = start_server(args.binary, url, sites, os.path.join(work, f"node{index}.log"), rng)
            nodes[index] = (process, port)
        ports = [nodes[i][1] for i in range(args.nodes)]
        print(f"{args.nodes} nodes serving on {ports}", flush=True)
        plan, box_count, resident_count = setup_tubes(ports[0], args.tubes, sites, sites_config, tokens, courier, secrets, workers=4)
        print(f"setup: {args.tubes} tubes ({resident_count} residents, {box_count} boxes) received by their labs", flush=True)

        lock = threading.Lock()
        stop = threading.Event()
        acknowledged = {}  # resident code -> (site, ticket number answered)
        lab_acknowledged, lab_cut_off, lab_refused = [], [], []
        retries = collections.Counter()
        refused = collections.Counter()
        successes = []  # (time answered, time sent)
        next_index = 0
        next_delivery = 0
        remaining = {lab: [tube for tube, entry in plan.items() if entry["lab"] == lab] for lab in labs}
        for tubes in remaining.values():
            rng.shuffle(tubes)
        give_up_after = 90.0

        def send(path, body, headers, first_node):
            """POSTs to the nodes in turn from `first_node` until one answers other than 503; None if none did in time."""
            deadline = time.time() + give_up_after
            node = first_node
            clients = {}
            try:
                while time.time() < deadline:
                    port = ports[node % len(ports)]
                    client = clients.setdefault(port, Client(port))
                    sent = time.time()
                    try:
                        status, reply_headers, answer = client.request(path, body, headers)
                    except CONNECTION_ERRORS:
                        with lock:
                            retries["no answer"] += 1
                        node += 1
                        time.sleep(0.05)
                        continue
                    code = problem_code(answer) if status in (409, 503) else None
                    # 503: nothing written, try again; 409 idempotency_key_in_flight: that node is still
                    # answering an earlier copy (sent before a time-out), ask again in a moment.
                    if status == 503 or code == "idempotency_key_in_flight":
                        with lock:
                            retries[code or str(status)] += 1
                        node += 1
                        time.sleep(0.2)
                        continue
                    with lock:
                        successes.append((time.time(), sent))
                    return status, reply_headers, answer
                return None
            finally:
                for client in clients.values():
                    client.close()

        def check_in_client():
            nonlocal next_index
            while not stop.is_set():
                with lock:
                    index = next_index
                    next_index += 1
                site = SITES[index % len(SITES)]
                code = f"CLU{index:07d}"
                body = json.dumps({"resident_code": code, "name": "集群", "id_number": id_number(20_000_000 + index),
                                   "phone": f"136{index:08d}", "building": "97", "unit": "1", "room": str(index)}).encode()
                headers = {"Content-Type": "application/json", "Authorization": f"Bearer {tokens[site]}",
                           "Idempotency-Key": str(uuid.uuid4())}
                reply = send(f"/v1/sites/{site}/checkins", body, headers, index)
                with lock:
                    if reply is None:
                        refused["never answered"] += 1
                    elif reply[0] in (200, 201):  # 200: checked in before (rule 3), the same ticket
                        acknowledged[code] = (site, json.loads(reply[2])["ticket"]["number"])
                    else:
                        refused[f"{reply[0]} {problem_code(reply[2])}"] += 1

        def lab_client(lab, seed):
            nonlocal next_delivery
            chance = random.Random(seed)
            while not stop.is_set():
                with lock:
                    take = min(chance.randint(1, 5), len(remaining[lab]))
                    if take == 0:
                        return
                    tubes = remaining[lab][-take:]
                    del remaining[lab][-take:]
                    webhook_id = f"msg_soak_{next_delivery:07d}"  # the soak's checks read deliveries by this prefix
                    next_delivery += 1
                results = [(tube, "positive" if chance.random() < 0.1 else "negative") for tube in tubes]
                now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
                body = json.dumps({"type": "tube.results", "timestamp": now, "data": {"results": [
                    {"tube": tube, "result": result, "tested_at": now} for tube, result in results]}}).encode()
                delivery = {"lab": lab, "id": webhook_id, "body": body, "results": results}
                reply = send(f"/v1/labs/{lab}/webhooks", body, sign(secrets[lab], webhook_id, body), next_delivery)
                with lock:
                    if reply is None:
                        lab_cut_off.append(delivery)
                    elif 200 <= reply[0] < 300:
                        lab_acknowledged.append(delivery)
                    else:
                        delivery["status"] = reply[0]
                        lab_refused.append(delivery)
                time.sleep(0.05)

        threads = [threading.Thread(target=check_in_client) for _ in range(args.clients)]
        threads += [threading.Thread(target=lab_client, args=(labs[k % len(labs)], rng.random())) for k in range(args.lab_clients)]
        load_started = time.time()
        for thread in threads:
            thread.start()

        def serving_again_after(moment):
            """Seconds from `moment` to the first request sent after it and answered."""
            limit = time.time() + give_up_after
            while time.time() < limit:
                with lock:
                    later = [answered for answered, sent in successes if sent > moment]
                if later:
                    return min(later) - moment
                time.sleep(0.05)
            with lock:
                raise SystemExit(f"nothing was served in {give_up_after} s after the kill; "
                                 f"retries so far {dict(retries)}, refused {dict(refused)}")

        time.sleep(args.load_seconds / 4)
        victim = args.nodes - 1
        node_killed_at = time.time()
        nodes[victim][0].send_signal(signal.SIGKILL)
        nodes[victim][0].wait()
        node_recovery = serving_again_after(node_killed_at)
        print(f"node {victim} killed (-9): served again after {node_recovery:.2f} s", flush=True)

        time.sleep(max(0.0, load_started + args.load_seconds / 2 - time.time()))
        acknowledged_before = len(acknowledged)
        primary_killed_at = time.time()
        killed = subprocess.run([PG_HA, "kill-primary", ha], check=True, capture_output=True, text=True).stdout.strip()
        standby = ({args.base_port + 1, args.base_port + 2} - {int(killed)}).pop()
        promoted = subprocess.run([PG_HA, "wait-primary", ha, str(standby), "60"], check=True, capture_output=True, text=True).stdout.strip()
        failover = serving_again_after(primary_killed_at)
        print(f"primary on {killed} killed (immediate): standby {standby} writable after {promoted} s (monitor), "
              f"check-ins served again after {failover:.2f} s", flush=True)

        time.sleep(max(0.0, load_started + args.load_seconds - time.time()))
        stop.set()
        for thread in threads:
            thread.join()
        load = time.time() - load_started

        database = Psql(url)
        now_primary = database.execute("SELECT inet_server_port()").fetchone()[0]
        problems = []
        if now_primary != standby:
            problems.append(f"the primary is on {now_primary}, not the former standby {standby}")
        tickets = {code: (site, number, count) for code, site, number, count in database.execute(
            """SELECT r.code, t.site_id, min(t.number), count(t.id) FROM resident r JOIN ticket t ON t.resident_id = r.id
               WHERE r.code LIKE 'CLU%' GROUP BY r.code, t.site_id""").fetchall()}
        for code, (site, number) in acknowledged.items():
            found = tickets.get(code)
            if found is None or found[2] != 1 or found[0] != site or found[1] != number:
                problems.append(f"acknowledged check-in {code} at {site} as ticket {number}: stored {found}")
        for site, numbers, distinct, highest in database.execute(
                "SELECT site_id, count(*), count(DISTINCT number), max(number) FROM ticket GROUP BY site_id, round_id").fetchall():
            if not (numbers == distinct == highest):
                problems.append(f"{site}: {numbers} tickets, {distinct} distinct numbers, highest {highest}: not contiguous")
        lab_problems, cut_applied, cut_not_applied = check_lab(database, plan, lab_acknowledged, lab_cut_off, lab_refused)
        problems += lab_problems
        if problems:
            raise SystemExit(f"{len(problems)} problems:\n" + "\n".join(problems[:30]))
        tube_results = sum(len(delivery["results"]) for delivery in lab_acknowledged)
        print(f"RESULT nodes={args.nodes} load_s={load:.0f} checkins_acknowledged={len(acknowledged)} "
              f"(before the primary's kill {acknowledged_before}) lost=0 duplicated=0 tickets_contiguous=yes "
              f"lab_deliveries={len(lab_acknowledged)} lab_tube_results={tube_results} lab_lost=0 "
              f"lab_cut_off={len(lab_cut_off)} (applied whole {cut_applied}, not at all {cut_not_applied}) "
              f"refused={dict(refused)} retries={dict(retries)} node_kill_to_serving_s={node_recovery:.2f} "
              f"primary_kill_to_writable_s={promoted} primary_kill_to_serving_s={failover:.2f} new_primary={now_primary}",
              flush=True)
        passed = True
    finally:
        for process, _ in nodes.values():
            if process.poll() is None:
                process.kill()
                process.wait()
        if cluster_started or os.path.exists(ha):
            subprocess.run([PG_HA, "stop", ha], capture_output=True)
        if not passed and keep_logs(work):
            print(f"the nodes', keepers' and servers' logs of this run are kept in {work}-logs", flush=True)
        shutil.rmtree(work, ignore_errors=True)


def keep_logs(work):
    """Copies every log of a failed run (nodes, pg_autoctl keepers, database servers) beside `work`."""
    kept = work + "-logs"
    found = False
    for folder, _, files in os.walk(work):
        for name in files:
            if name.endswith(".log"):
                relative = os.path.relpath(os.path.join(folder, name), work)
                os.makedirs(os.path.join(kept, os.path.dirname(relative)), exist_ok=True)
                shutil.copyfile(os.path.join(folder, name), os.path.join(kept, relative))
                found = True
    return found


if __name__ == "__main__":
    main()
