#!/usr/bin/env python3
"""Abuse without credentials, against the real `swabline serve` on loopback.

Usage: python3 Tests/connections/test_abuse.py path/to/swabline

Starts the binary under a 256 file-descriptor limit (the soft and the hard
one, so it cannot raise it) with a 2-second idle timeout, then:

1. opens 300 TCP connections that send nothing: the server logs that it
   reached its connection limit, closes the idle ones by itself, and a
   normal client is still answered while the attack goes on;
2. starts 100 uploads of 7.5 MB to a lab webhook (an unknown lab, a known
   lab without signature headers, and a known lab with fresh headers but
   a forged signature) that stall halfway: the server's memory stays
   under 150 MB, the first two are refused before their body is read, the
   forged ones are refused or told to come back (503 `busy`);
3. sends a malformed chunked body to the lab webhook, `/login` and an
   authenticated `/v1` POST: each is a 400 problem+json
   `malformed_request`, logged as a client error, never a 500.

Every connection goes to 127.0.0.1; every wait has a timeout; the server
is stopped at the end. Prints numbered steps; exits non-zero on the first
failure.
"""
import json
import os
import resource
import socket
import sys
import threading
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from swabline_process import REPO, SwablineRun, answers_healthz, free_port  # noqa: E402

FD_LIMIT = 256
IDLE_TIMEOUT = 2
MB = 1024 * 1024


class Abuse(SwablineRun):
    def __init__(self, binary):
        super().__init__(binary, "abuse", cli_timeout=60)
        self.port = free_port()

    def start(self):
        def limit():
            resource.setrlimit(resource.RLIMIT_NOFILE, (FD_LIMIT, FD_LIMIT))
        self.start_serve(
            self.port, "--idle-timeout", str(IDLE_TIMEOUT), "--log-level", "info",
            # The failure limits (429) would answer most uploads first; this test is about bodies.
            "--bad-signatures-per-minute", "1000", "--bad-signatures-per-lab-per-minute", "1000",
            log=os.path.join(self.folder, "serve.log"), preexec_fn=limit)
        if not answers_healthz(self.port, 30):
            raise AssertionError("swabline serve did not answer /healthz:\n" + self.log_text())

    def get(self, path, timeout=5):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=timeout) as reply:
            return reply.status, reply.read()

    def rss_mb(self):
        with open(f"/proc/{self.server.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        raise AssertionError("no VmRSS")

    def raw(self, request, timeout=10):
        """Sends raw bytes and returns (status, headers text, body bytes) of the first answer."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=timeout) as s:
            s.sendall(request)
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
            head, _, body = data.partition(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value.strip())
            while len(body) < length:
                chunk = s.recv(65536)
                if not chunk:
                    break
                body += chunk
            status = int(head.split(b" ")[1]) if head.startswith(b"HTTP/1.1 ") else 0
            return status, head.decode("latin-1"), body[:length]

    # --- 1. idle connections ---------------------------------------------
    def idle_connections(self):
        limit = FD_LIMIT - 128
        self.step(f"300 silent connections against a {FD_LIMIT}-descriptor process ({limit} connections at most)")
        idle = []
        for _ in range(300):
            s = socket.socket()
            s.settimeout(2)
            try:
                s.connect(("127.0.0.1", self.port))  # the listen backlog takes some past the limit
            except (socket.timeout, TimeoutError):
                s.close()
                break  # the backlog is full too: the server holds all it may
            s.settimeout(0.5)
            idle.append(s)
        assert len(idle) > limit, f"only {len(idle)} connections opened"
        started = time.time()
        status, _ = self.get("/healthz", timeout=4 * IDLE_TIMEOUT + 10)
        waited = time.time() - started
        assert status == 200, status
        self.step(f"a normal client is answered during the attack after {waited:.1f} s (idle timeout {IDLE_TIMEOUT} s)")
        assert waited < 4 * IDLE_TIMEOUT + 10, waited
        # The first connections accepted are closed by the server once idle.
        closed = 0
        deadline = time.time() + IDLE_TIMEOUT * 3 + 5
        for s in idle[:50]:
            while time.time() < deadline:
                try:
                    if s.recv(1) == b"":
                        closed += 1
                        break
                except socket.timeout:
                    continue
                except ConnectionResetError:
                    closed += 1
                    break
        for s in idle:
            s.close()
        assert closed == 50, f"only {closed} of 50 idle connections were closed by the server"
        self.step("the server closed the idle connections by itself")
        deadline = time.time() + 5
        while "connection limit reached" not in self.log_text() and time.time() < deadline:
            time.sleep(0.2)
        assert "connection limit reached" in self.log_text(), "the log does not say the connection limit was reached"
        assert f"max_connections={limit}" in self.log_text() or f'"max_connections": "{limit}"' in self.log_text() \
            or str(limit) in self.log_text(), "the log does not name the connection limit"
        self.step("the log says the connection limit was reached")
        # Afterwards the server is its normal self.
        answers_healthz(self.port, 3 * IDLE_TIMEOUT + 10, timeout=2, pause=0.2)
        self.step("answers at once again after the attack")

    # --- 2. stalled uploads -------------------------------------------------
    def stalled_uploads(self):
        size = int(7.5 * MB)
        now = str(int(time.time()))
        kinds = {
            "unknown lab": ("/v1/labs/lab-x/webhooks", {"webhook-id": "m1", "webhook-timestamp": now, "webhook-signature": "v1,AAAA"}),
            "no signature headers": ("/v1/labs/lab-dian/webhooks", {}),
            "forged signature": ("/v1/labs/lab-dian/webhooks",
                                 {"webhook-id": "m2", "webhook-timestamp": now, "webhook-signature": "v1,QUFBQQ=="}),
        }
        before = self.rss_mb()
        self.step(f"server memory before the uploads: {before:.0f} MB")
        answers = {name: [] for name in kinds}
        lock = threading.Lock()
        stop = threading.Event()

        def upload(name, path, headers):
            s = socket.socket()
            s.settimeout(20)
            try:
                s.connect(("127.0.0.1", self.port))
                head = f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {size}\r\n"
                head += "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
                s.sendall(head.encode())
                sent = 0
                block = b"x" * 65536
                s.settimeout(0.05)
                status = None
                # Half the body, as fast as the server takes it, then stall.
                while sent < size // 2 and not stop.is_set():
                    try:
                        sent += s.send(block)
                    except (socket.timeout, BlockingIOError):
                        pass
                    except (BrokenPipeError, ConnectionResetError):
                        break
                    try:
                        data = s.recv(4096)
                        if data.startswith(b"HTTP/1.1 "):
                            status = int(data.split(b" ")[1])
                            break
                    except (socket.timeout, BlockingIOError):
                        pass
                    except ConnectionResetError:
                        break
                s.settimeout(IDLE_TIMEOUT * 3 + 5)
                if status is None:
                    try:
                        data = s.recv(4096)
                        if data.startswith(b"HTTP/1.1 "):
                            status = int(data.split(b" ")[1])
                    except (socket.timeout, ConnectionResetError):
                        pass
                with lock:
                    answers[name].append((status, sent))
            finally:
                s.close()

        threads = []
        for index in range(100):
            name = list(kinds)[index % 3]
            path, headers = kinds[name]
            thread = threading.Thread(target=upload, args=(name, path, headers), daemon=True)
            thread.start()
            threads.append(thread)
        peak = before
        deadline = time.time() + 60
        while any(t.is_alive() for t in threads) and time.time() < deadline:
            peak = max(peak, self.rss_mb())
            time.sleep(0.1)
        stop.set()
        for t in threads:
            t.join(5)
        self.step(f"100 stalled 7.5 MB uploads: peak server memory {peak:.0f} MB")
        assert peak < 150, f"memory grew to {peak:.0f} MB under stalled uploads"
        for name in ["unknown lab", "no signature headers"]:
            statuses = {status for status, _ in answers[name]}
            assert statuses == {401}, f"{name}: answered {statuses}"
            read = max(sent for _, sent in answers[name])
            assert read < size // 2, f"{name}: the server took {read} bytes before refusing"
        self.step("an unknown lab and missing signature headers are refused with 401 before the body is read")
        statuses = {status for status, _ in answers["forged signature"]}
        assert statuses <= {401, 503, None} and 503 in statuses, f"forged signature: answered {statuses}"
        self.step(f"forged signatures in a known lab's name: {sorted(statuses, key=str)} (503 busy past 8 bodies at once)")
        assert self.get("/healthz")[0] == 200

    # --- 3. malformed chunked bodies ---------------------------------------
    def malformed_chunks(self):
        token = self.cli("tokens", "create", "--role", "staff", "--site", "fangfeiyuan")
        for path, extra in [("/v1/labs/lab-dian/webhooks", ""), ("/login", ""),
                            ("/v1/sites/fangfeiyuan/checkins", f"Authorization: Bearer {token}\r\n")]:
            request = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n{extra}Transfer-Encoding: chunked\r\n"
                       f"Content-Type: application/json\r\n\r\nZZZ\r\nabc\r\n0\r\n\r\n").encode()
            if path.startswith("/v1/labs"):
                now = str(int(time.time()))
                request = request.replace(b"Transfer-Encoding", f"webhook-id: m9\r\nwebhook-timestamp: {now}\r\nwebhook-signature: v1,QUFBQQ==\r\nTransfer-Encoding".encode())
            if path == "/login":
                request = request.replace(b"Content-Type: application/json", f"Origin: http://127.0.0.1:{self.port}\r\nContent-Type: application/x-www-form-urlencoded".encode())
            status, head, body = self.raw(request)
            assert status == 400, f"{path}: {status}\n{head}\n{body[:300]!r}"
            assert "application/problem+json" in head.lower(), f"{path}: {head}"
            assert json.loads(body)["code"] == "malformed_request", body
            self.step(f"a malformed chunk to {path} is 400 malformed_request")
        log = self.log_text()
        assert "malformed request" in log, "the malformed requests are not logged"
        assert "unexpected error" not in log and "internal_error" not in log, "a malformed request was logged as our error"
        self.step("logged as a client error, never as ours")

    def run(self):
        try:
            self.cli("labs", "add", "lab-dian")  # a known lab, whose name forgeries use
            self.start()
            self.step(f"swabline serve on 127.0.0.1:{self.port}, open files limited to {FD_LIMIT}")
            self.idle_connections()
            self.stalled_uploads()
            self.malformed_chunks()
            print(f"ok: {self.steps} steps")
            return 0
        except AssertionError as failure:
            print(f"FAILED: {failure}")
            print("--- server log (last 40 lines) ---")
            print("\n".join(self.log_text().splitlines()[-40:]))
            return 1
        finally:
            self.stop()


if __name__ == "__main__":
    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, ".build", "debug", "swabline")
    sys.exit(Abuse(binary).run())
