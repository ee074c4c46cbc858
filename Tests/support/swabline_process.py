"""What the Python test scripts share: the real `swabline` binary, run as a person runs it.

Tests/browser/test_round.py, Tests/browser/test_tls.py and
Tests/connections/test_abuse.py put this folder on sys.path and import it.
A run has a temporary folder and database of its own, calls the CLI with
--db and --sites, starts `swabline serve` on a loopback port and stops it
(terminate, wait, kill), and prints its steps numbered. BrowserRun adds
headless Chromium and screenshots.

Standard library only: selenium is imported by the browser part alone, when
it is used, so a script that drives no browser does not need it.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time
import http.client
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "scripts"))
from loopback import unused_port  # noqa: E402
SITES = os.path.join(REPO, "sites")
SHOTS = os.path.join(REPO, "Tests", "browser", "screenshots")


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on now, below the ephemeral
    range so that polling it can never connect a client to itself (scripts/loopback.py)."""
    return unused_port()


def answers_healthz(port, seconds, timeout=1, pause=0.1):
    """Asks http://127.0.0.1:PORT/healthz until it answers 200 or `seconds` have
    passed, `pause` seconds after each refused or failed try; whether it answered."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=timeout) as reply:
                if reply.status == 200:
                    return True
        except (OSError, http.client.HTTPException):
            time.sleep(pause)
    return False


class SwablineRun:
    """One script's run of the binary: a temporary folder and database, the CLI, `serve`, numbered steps.

    `name` names the folder (swabline-NAME-…) and the database (NAME.sqlite);
    `cli_timeout` bounds each CLI call (None: no bound); `env` is the
    environment of the CLI and the server (None: this process's)."""

    def __init__(self, binary, name, cli_timeout=None, env=None):
        self.binary = binary
        self.folder = tempfile.mkdtemp(prefix=f"swabline-{name}-")
        self.db = os.path.join(self.folder, f"{name}.sqlite")
        self.cli_timeout = cli_timeout
        self.env = env
        self.server = None
        self.server_log = None  # the file the last `serve` writes to, if any
        self.steps = 0

    def step(self, what):
        self.steps += 1
        print(f"  {self.steps:2d}. {what}", flush=True)

    def cli(self, *args):
        """Runs `swabline ARGS --db DB --sites sites/` to its end; what it printed."""
        out = subprocess.run([self.binary, *args, "--db", self.db, "--sites", SITES],
                             check=True, capture_output=True, text=True, timeout=self.cli_timeout, env=self.env)
        return out.stdout.strip()

    def serve_args(self, port, *extra):
        return [self.binary, "serve", "--port", str(port), "--db", self.db, "--sites", SITES, *extra]

    def start_serve(self, port, *extra, log=None, preexec_fn=None):
        """Starts `swabline serve` on 127.0.0.1:PORT and does not wait for it;
        what it prints goes to the file `log`, or nowhere."""
        self.server_log = log
        output = open(log, "w") if log else subprocess.DEVNULL
        try:
            self.server = subprocess.Popen(self.serve_args(port, *extra), stdout=output, stderr=subprocess.STDOUT,
                                           env=self.env, preexec_fn=preexec_fn)
        finally:
            if log:
                output.close()  # the server has its own copy

    def log_text(self):
        """Everything the last `serve` printed to its log file so far."""
        if not self.server_log:
            return ""
        with open(self.server_log, encoding="utf-8", errors="replace") as f:
            return f.read()

    def stop_server(self):
        if self.server:
            self.server.terminate()
            try:
                self.server.wait(10)
            except subprocess.TimeoutExpired:
                self.server.kill()
                self.server.wait(5)
            self.server = None

    def stop(self):
        self.stop_server()
        shutil.rmtree(self.folder, ignore_errors=True)


class BrowserRun(SwablineRun):
    """A run that also drives headless Chromium through Selenium; `self.base` is the server's origin."""

    def __init__(self, binary, name, **options):
        super().__init__(binary, name, **options)
        self.base = None
        self.driver = None

    def start_browser(self, *flags):
        """Headless Chromium, phone-wide, with these flags besides."""
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
        options = webdriver.ChromeOptions()
        options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
        for flag in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=420,900",
                     "--lang=zh-CN", "--disable-gpu", *flags]:
            options.add_argument(flag)
        # Chinese first, like the phones at the gate; English is checked with ?lang=en.
        options.add_experimental_option("prefs", {"intl.accept_languages": "zh-CN,zh"})
        service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
        self.driver = webdriver.Chrome(options=options, service=service)
        self.driver.set_page_load_timeout(30)

    def shot(self, name, width=420):
        """A phone-wide screenshot of the whole page (dashboards: laptop-wide), in Tests/browser/screenshots/."""
        os.makedirs(SHOTS, exist_ok=True)
        self.driver.set_window_size(width, 900)
        height = self.driver.execute_script("return document.documentElement.scrollHeight")
        self.driver.set_window_size(width, min(max(height + 40, 600), 4000))
        self.driver.save_screenshot(os.path.join(SHOTS, f"{name}.png"))
        self.driver.set_window_size(420, 900)

    def go(self, path):
        self.driver.get(self.base + path)

    def find(self, css):
        """The element CSS selects, waited for up to 10 s."""
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import WebDriverWait
        return WebDriverWait(self.driver, 10).until(lambda d: d.find_element(By.CSS_SELECTOR, css))

    def text(self, css):
        return self.find(css).text.strip()

    def report_failure(self, error, shot):
        """Which step failed, on stderr; first, with a browser open, the screenshot SHOT and the page's address."""
        if self.driver:
            try:
                self.shot(shot)
                print(self.driver.current_url, file=sys.stderr)
            except Exception:
                pass
        print(f"FAILED at step {self.steps}: {type(error).__name__}: {error}", file=sys.stderr)

    def stop(self):
        if self.driver:
            try:
                self.driver.quit()
            except Exception:
                pass
            self.driver = None
        super().stop()
