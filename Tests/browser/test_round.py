#!/usr/bin/env python3
"""A whole round at 芳菲苑 in a real browser (headless Chromium via Selenium).

Usage: python3 Tests/browser/test_round.py [path/to/swabline]

Starts the real `swabline serve` on a loopback port with a temporary
database and the shipped sites/, makes tokens and a lab secret with the CLI,
and drives the pages as people would: the gate volunteer scans codes and
presses Enter, a station calls, fills and seals a tube, the packer boxes it,
the courier picks it up and hands it over, the lab posts signed webhooks
(one result conflicting), and the coordinator reads the outcome, the
turnaround charts and the paged missing list, and resolves the anomaly. The
queue board is watched live in a second tab; the packing table and the
courier's list refresh by themselves. A screenshot of each page goes to Tests/browser/screenshots/.
Exits non-zero on the first failure.
"""
import base64
import hashlib
import hmac
import json
import os
import sys
import time
import urllib.request
import uuid

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from swabline_process import REPO, BrowserRun, answers_healthz, free_port  # noqa: E402

SITE = "fangfeiyuan"
HOUSEHOLD = ["FFY000006", "FFY000007", "FFY000008", "FFY000009", "FFY000005"]


def now_utc():
    """A lab's tested_at: now, which Swabline accepts within ten minutes of its own clock."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


class Round(BrowserRun):
    def __init__(self, binary):
        super().__init__(binary, "browser")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"

    # --- the real binary -------------------------------------------------
    def start_server(self):
        self.start_serve(self.port, "--log-level", "warning")
        if not answers_healthz(self.port, 15):
            raise AssertionError("swabline serve did not answer /healthz")

    # --- helpers ----------------------------------------------------------
    def scan(self, css, code):
        """A scanner types the code into the focused field and presses Enter."""
        field = self.find(css)
        active = self.driver.switch_to.active_element
        assert active == field, f"the scanner field {css} does not have the focus"
        old = self.driver.find_element(By.TAG_NAME, "html")
        field.send_keys(code + Keys.ENTER)
        WebDriverWait(self.driver, 10).until(lambda d: old != d.find_element(By.TAG_NAME, "html"))

    def posts(self, route):
        """How many POSTs the server has answered on a route, from /metrics."""
        with urllib.request.urlopen(self.base + "/metrics", timeout=5) as reply:
            lines = reply.read().decode().splitlines()
        wanted = (f'http_route="{route}"', 'http_request_method="POST"')
        return sum(int(float(line.rsplit(" ", 1)[1])) for line in lines
                   if line.startswith("hb_requests{") and all(w in line for w in wanted))

    def tap_twice(self, form_css, field_css, code, route):
        """A double tap on a slow mobile network: the code is typed, the form
        sent, and sent again 200 ms later while the first is still on its
        way (800 ms of latency, emulated by Chromium). Both reach the server;
        the browser shows the answer to the second, which must be the first
        one's page, not a refusal of the copy."""
        d = self.driver
        before = self.posts(route)
        self.find(field_css).send_keys(code)
        d.execute_cdp_cmd("Network.enable", {})
        slow = {"offline": False, "latency": 800, "downloadThroughput": -1, "uploadThroughput": -1}
        d.execute_cdp_cmd("Network.emulateNetworkConditions", slow)
        try:
            old = d.find_element(By.TAG_NAME, "html")
            d.execute_script("var f = document.querySelector(arguments[0]); f.requestSubmit();"
                             " setTimeout(function () { f.requestSubmit(); }, 200);", form_css)
            WebDriverWait(d, 15).until(lambda d: old != d.find_element(By.TAG_NAME, "html"))
            time.sleep(1.5)  # the second navigation, if it lands after the first
            WebDriverWait(d, 15).until(lambda d: d.execute_script("return document.readyState") == "complete")
        finally:
            d.execute_cdp_cmd("Network.emulateNetworkConditions", dict(slow, latency=0))
        problems = d.find_elements(By.ID, "problem")
        assert not problems, f"the second tap was refused: {problems[0].text}"
        sent = self.posts(route) - before
        assert sent == 2, f"the double tap reached the server {sent} time(s), not twice"

    def submit(self, form_css, button_css="button"):
        old = self.driver.find_element(By.TAG_NAME, "html")
        self.find(form_css).find_element(By.CSS_SELECTOR, button_css).click()
        WebDriverWait(self.driver, 10).until(lambda d: old != d.find_element(By.TAG_NAME, "html"))

    def sign_in(self, token, expect_path):
        self.go("/login")
        field = self.find("#token")
        field.send_keys(token + Keys.ENTER)
        WebDriverWait(self.driver, 10).until(lambda d: d.current_url.endswith(expect_path))
        cookie = self.driver.get_cookie("swabline_session")
        assert cookie and cookie["httpOnly"] and cookie["secure"] and cookie["sameSite"] == "Strict", cookie

    def sign_out(self):
        self.submit("header form")
        assert self.driver.current_url.endswith("/login"), self.driver.current_url
        assert self.driver.get_cookie("swabline_session") is None

    def api(self, token, method, path, body=None):
        """A call to the JSON API with a bearer token, as another person's device would make it."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            self.base + path, data=data, method=method,
            headers={"authorization": f"Bearer {token}", "content-type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as reply:
            assert 200 <= reply.status < 300, reply.status
            return json.loads(reply.read())

    def live(self, what, condition, seconds=15):
        """Waits for the page to change by itself, and checks it was not reloaded."""
        self.driver.execute_script("window.stillTheSamePage = true")
        reached = WebDriverWait(self.driver, seconds).until(lambda d: condition(d))
        assert self.driver.execute_script("return window.stillTheSamePage === true"), f"{what}: the page reloaded"
        return reached

    def webhook(self, secret, payload):
        body = json.dumps(payload).encode()
        msg_id, stamp = f"msg_{uuid.uuid4().hex}", str(int(time.time()))
        key = base64.b64decode(secret.split("_", 1)[1])
        signature = base64.b64encode(hmac.new(key, f"{msg_id}.{stamp}.".encode() + body, hashlib.sha256).digest()).decode()
        request = urllib.request.Request(
            f"{self.base}/v1/labs/lab-dian/webhooks", data=body, method="POST",
            headers={"content-type": "application/json", "webhook-id": msg_id, "webhook-timestamp": stamp,
                     "webhook-signature": f"v1,{signature}"})
        with urllib.request.urlopen(request, timeout=10) as reply:
            assert reply.status == 200, reply.status
            return json.loads(reply.read())

    # --- the round ----------------------------------------------------------
    def run(self):
        staff = self.cli("tokens", "create", "--role", "staff", "--site", SITE, "--label", "browser gate")
        courier = self.cli("tokens", "create", "--role", "courier", "--label", "browser courier")
        coordinator = self.cli("tokens", "create", "--role", "coordinator")
        lab_secret = self.cli("labs", "add", "lab-dian")
        lab_desk = self.cli("tokens", "create", "--role", "lab", "--lab", "lab-dian", "--label", "browser bench")
        self.start_server()
        self.start_browser()
        d = self.driver

        self.step("a page without a session goes to sign-in")
        self.go(f"/sites/{SITE}/gate")
        assert d.current_url.endswith("/login"), d.current_url
        self.find("#token")
        self.shot("01-login")

        self.step("a wrong token is refused on the page")
        self.find("#token").send_keys("swb_not_a_token" + Keys.ENTER)
        assert "unauthorized" in self.text("#problem"), self.text("#problem")

        self.step("staff sign in and land on their gate")
        self.sign_in(staff, f"/sites/{SITE}/gate")

        self.step("the queue board is open in a second tab")
        gate_tab = d.current_window_handle
        d.switch_to.new_window("tab")
        board_tab = d.current_window_handle
        self.go(f"/sites/{SITE}/board")
        self.find("#called-s1")
        d.execute_script("window.stillTheSamePage = true")
        d.switch_to.window(gate_tab)

        self.step("the gate scans a household in: typed codes and Enter, the ticket shown big")
        for number, code in enumerate(HOUSEHOLD, start=1):
            self.scan("#resident_code", code)
            assert self.text("#ticket-label") == f"A{number:03d}", self.text("#ticket-label")
        assert d.switch_to.active_element.get_attribute("id") == "resident_code", "the scanner field lost the focus"
        self.shot("02-gate-ticket")

        self.step("a repeat scan shows the same ticket and says so")
        self.scan("#resident_code", HOUSEHOLD[0])
        assert self.text("#ticket-label") == "A001"
        self.find("#repeated")

        self.step("an unknown code opens the walk-in form, prefilled with the code")
        self.scan("#resident_code", "FFY-WALK-1")
        form = self.find("#walk-in")
        assert "FFY-WALK-1" in form.text
        self.shot("03-gate-walk-in")
        for name, value in [("name", "周敏"), ("id_number", "11010519491231002X"), ("phone", "13812345678"),
                            ("building", "1"), ("unit", "1"), ("room", "201")]:
            form.find_element(By.NAME, name).send_keys(value)
        self.submit("#walk-in")
        self.find("#registered")
        assert self.text("#ticket-label") == "A006"
        assert "13812345678" not in d.page_source and "11010519491231002X" not in d.page_source, "an unmasked number is on the page"

        self.step("station s1 opens a tube, calls the household, fills and seals it")
        self.go(f"/sites/{SITE}/stations/s1")
        self.scan("#tube", "FFY-T0001")
        self.find("#tube-code")
        self.submit("form:has(#call)")
        rows = d.find_elements(By.CSS_SELECTOR, "#called tr")
        assert len(rows) == 7, f"{len(rows) - 1} people called"
        self.shot("04-station-called")

        self.step("the board shows the call live, without a reload")
        d.switch_to.window(board_tab)
        WebDriverWait(d, 10).until(lambda d: "A001" in d.find_element(By.ID, "called-s1").text)
        assert d.execute_script("return window.stillTheSamePage === true"), "the board reloaded"
        self.shot("05-board")
        d.switch_to.window(gate_tab)

        for code in HOUSEHOLD + ["FFY-WALK-1"]:
            self.scan("#resident_code", code)
        assert self.text("#tube-filled") == "6/10", self.text("#tube-filled")
        self.scan("#resident_code", HOUSEHOLD[0])
        assert "warn" in self.find("#notice").get_attribute("class"), "a repeated scan is not flagged"
        self.scan("#resident_code", "FFY-NOBODY")
        assert "resident_not_found" in self.text("#problem"), "an unknown code is not refused"
        self.shot("06-station-refusal")
        self.submit("form:has(#seal)")
        assert "FFY-T0001" in self.text("#notice")
        self.find("#open-form")

        self.step("the packer boxes the tube and seals the box (a double tap on a slow network makes one box)")
        self.go(f"/sites/{SITE}/packing")
        self.tap_twice("#new-box", "#box", "FFY-B01", "/sites/{site}/packing")
        self.scan("#box-FFY-B01 input[name=tube]", "FFY-T0001")
        assert self.text("#box-FFY-B01 .count") == "1"
        self.shot("07-packing")
        self.submit("#box-FFY-B01 form.seal-box")
        assert "FFY-B01" in self.text("#sealed-boxes")

        self.step("the packing table refreshes by itself when another desk seals a tube")
        d.execute_script("window.stillTheSamePage = true")
        self.api(staff, "POST", f"/v1/sites/{SITE}/checkins", {"resident_code": "FFY000010"})
        self.api(staff, "POST", f"/v1/sites/{SITE}/tubes", {"tube": "FFY-T0002", "station": "s2"})
        self.api(staff, "POST", "/v1/tubes/FFY-T0002/samples", {"resident_code": "FFY000010"})
        self.api(staff, "POST", "/v1/tubes/FFY-T0002/seal")
        self.live("packing", lambda d: "FFY-T0002" in d.find_element(By.ID, "loose-section").text)
        self.sign_out()

        self.step("the courier picks the box up (count, temperature) and hands it over")
        self.sign_in(courier, "/courier")
        self.find("#box-FFY-B01")
        self.api(staff, "POST", f"/v1/sites/{SITE}/boxes", {"box": "FFY-B02"})
        self.live("courier", lambda d: d.find_elements(By.ID, "box-FFY-B02"))
        box = self.find("#box-FFY-B01")
        box.find_element(By.NAME, "tube_count").send_keys("1")
        box.find_element(By.NAME, "temperature_c").send_keys("4.5")
        self.shot("08-courier")
        self.submit("#box-FFY-B01 form.pickup")
        self.find("#box-FFY-B01 form.handover")
        self.find("#box-FFY-B01 .age")
        self.submit("#box-FFY-B01 form.handover")
        assert "lab-dian" in self.text("#notice")
        self.sign_out()

        self.step("a lab without an LIS receives the box on its page by scanning the tube, and enters the result")
        self.sign_in(lab_desk, "/lab")
        box = self.find("#box-FFY-B01")
        assert "FFY-T0001" in box.text, box.text
        box.find_element(By.NAME, "tubes").send_keys("FFY-T0001")
        self.shot("08b-lab-receipt")
        self.submit("#box-FFY-B01 form.receive")
        assert "FFY-B01" in self.text("#notice"), self.text("#notice")
        row = self.find("#tube-FFY-T0001")
        Select(row.find_element(By.NAME, "result")).select_by_value("positive")
        self.shot("08c-lab-result")
        self.submit("#tube-FFY-T0001 form.result")
        assert "FFY-T0001" in self.text("#notice") and "warn" not in self.find("#notice").get_attribute("class")
        assert not d.find_elements(By.ID, "box-FFY-B01"), "a box with every tube resulted leaves the bench"
        self.sign_out()

        self.step("the lab's LIS posts a conflicting result by signed webhook")
        answer = self.webhook(lab_secret, {"type": "tube.results", "timestamp": "2022-04-05T13:50:00Z", "data": {"results": [
            {"tube": "FFY-T0001", "result": "negative", "tested_at": now_utc(), "ct": None}]}})
        assert answer["counts"] == {"anomaly": 1}, answer

        self.step("the coordinator sees the outcome on the dashboard")
        self.sign_in(coordinator, "/dashboard")
        assert "芳菲苑" in self.text("#sites")
        self.shot("09-dashboard", width=1100)
        self.go(f"/sites/{SITE}/dashboard")
        assert self.text("#retest-count") == "6", self.text("#retest-count")
        assert self.text("#resulted") == "6" and self.text("#sampled") == "7", (self.text("#resulted"), self.text("#sampled"))
        assert "周国栋" in self.text("#retests")

        self.step("the site dashboard draws turnaround on the server and lists the conflicting result")
        assert self.text("#received-count") == "6" and self.text("#resulted-tubes") == "1", self.text("#turnaround")
        for chart in ["#receipt-chart svg", "#result-chart svg"]:
            assert self.find(chart).size["width"] > 300, f"{chart} is not drawn"
        assert len(d.find_elements(By.CSS_SELECTOR, "#receipt-chart svg rect title")) >= 10
        assert self.text("#anomaly-count") == "1"
        assert "FFY-T0001" in self.text("#anomalies")
        self.shot("10-site-dashboard", width=1100)
        assert "复检名单" in d.page_source, "the page is not in Chinese by default"
        self.go(f"/sites/{SITE}/dashboard?lang=en")
        assert "Retest list" in d.page_source and "Sampling → lab receipt" in d.page_source
        self.shot("11-site-dashboard-en", width=1100)

        self.step("the coordinator resolves the anomaly with a note")
        self.go("/dashboard?lang=zh")
        form = self.find("form.resolve")
        form.find_element(By.NAME, "note").send_keys("实验室复核：原结果无误，已安排单管复检")
        self.submit("form.resolve")
        assert "FFY-T0001" in self.text("#notice") and "coordinator#" in self.text("#notice"), self.text("#notice")
        assert self.text("#anomaly-count") == "0"
        self.shot("12-dashboard-resolved", width=1100)

        self.step("the missing list closes people with a reason: one tap per person, one per household")
        self.go(f"/sites/{SITE}/dashboard")
        open_before = int(self.text("#open"))
        row = self.find("#missing-FFY000001")
        row.find_element(By.CSS_SELECTOR, "select[name=reason] option[value=not_at_home]").click()
        self.submit("#missing-FFY000001 form.follow-up", "button[value='0']")
        assert "FFY000001" in self.text("#notice"), self.text("#notice")
        assert self.text("#missing-FFY000001 .reason") == "敲门不在家", self.text("#missing-FFY000001 .reason")
        assert self.text("#closed") == "1" and int(self.text("#open")) == open_before - 1
        first = self.find("#missing-FFY000001").find_element(By.XPATH, "td[1]").text
        household = self.find("#missing-FFY000002").find_element(By.XPATH, "td[1]").text
        members = d.execute_script(
            "return [...document.querySelectorAll('#missing tr')].filter(r => r.cells[0] && r.cells[0].textContent === arguments[0]).length",
            household)
        self.find("#missing-FFY000002").find_element(By.CSS_SELECTOR, "select[name=reason] option[value=away]").click()
        self.submit("#missing-FFY000002 form.follow-up", "button[value='1']")
        # The whole household's reason replaces FFY000001's own when they live together.
        assert self.text("#closed") == str(members + (0 if first == household else 1)), (self.text("#closed"), members)
        assert self.text("#missing-FFY000002 .reason") == "外出不在小区"
        if first == household:
            self.find("#missing-FFY000001").find_element(By.CSS_SELECTOR, "select[name=reason] option[value=not_at_home]").click()
            self.submit("#missing-FFY000001 form.follow-up", "button[value='0']")
        self.shot("13-missing-reasons", width=1100)

        self.step("the isolation follow-up list: the pool-positive household is isolated, its test due today")
        self.find("#isolation-link").click()
        WebDriverWait(d, 10).until(lambda d: d.current_url.endswith(f"/sites/{SITE}/isolation"))
        today = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 8 * 3600))  # Asia/Shanghai
        for code in HOUSEHOLD:
            assert today in self.text(f"#isolated-{code}"), self.text(f"#isolated-{code}")
        assert int(self.text("#due")) >= len(HOUSEHOLD) and self.text("#overdue") == "0"
        self.shot("14-isolation", width=1100)
        self.go("/isolation")
        assert self.find("#isolated-FFY000006")

        self.step("Round 2 opens for this site: the round picker, and the home-visit list by building and floor")
        self.api(coordinator, "POST", f"/v1/residents/FFY000003/homebound", {"homebound": True})
        opened = self.api(coordinator, "POST", "/v1/rounds", {"name": "Round 2", "sites": [SITE]})
        assert opened["sites"] == [SITE], opened
        self.go(f"/sites/{SITE}/dashboard")
        assert self.find("#round option[selected]").text == "Round 2"
        assert self.text("#retest-count") == "6", "Round 1's pool-positives head Round 2's list"
        self.find("#home-visits-link").click()
        WebDriverWait(d, 10).until(lambda d: "/home-visits" in d.current_url)
        assert self.find("#visit-FFY000003") and self.find("#visit-FFY000006")
        assert "单管" in self.text("#visit-FFY000006"), self.text("#visit-FFY000006")
        self.shot("15-home-visits", width=1100)
        self.go(f"/sites/{SITE}/dashboard")
        self.find("#round option:not([selected])").click()
        self.submit("#round-picker")
        assert self.find("#past-round") and self.text("#missing-FFY000001 .reason") == "敲门不在家"
        assert not d.find_elements(By.CSS_SELECTOR, "form.follow-up"), "an earlier round is read only"

        self.step("华夏里社区's not-yet-sampled list is paged, and each building prints in full")
        self.go("/sites/huaxiali/dashboard")
        assert self.text("#missing-page").startswith("第 1 /"), self.text("#missing-page")
        assert len(d.find_elements(By.CSS_SELECTOR, "#missing tr")) == 201
        self.find("#missing-next").click()
        WebDriverWait(d, 10).until(lambda d: d.find_element(By.ID, "missing-page").text.startswith("第 2 /"))
        self.find("#missing-previous")
        link = self.find("a.building-list")
        expected = int(link.find_element(By.XPATH, "../../td[2]").text)
        link.click()
        WebDriverWait(d, 10).until(lambda d: "/dashboard/missing?building=" in d.current_url)
        assert len(d.find_elements(By.CSS_SELECTOR, "#missing tr")) == expected + 1
        self.shot("16-building-list", width=1100)

        self.step("a roster file chosen on the page: a bad row is named by line and changes nothing; a good file adds the newcomer")
        # The whole roster, as the compound keeps it, with one newcomer: a site's time slots need every building.
        with open(os.path.join(REPO, "sites", "华夏里社区", "roster.csv"), encoding="utf-8-sig", newline="") as f:
            roster = f.read().rstrip("\r\n") + "\r\n"
        folder = os.path.dirname(os.path.abspath(__file__))
        bad, good = os.path.join(folder, "screenshots", "roster-bad.csv"), os.path.join(folder, "screenshots", "roster-good.csv")
        with open(bad, "w", encoding="utf-8", newline="") as f:
            f.write("\ufeff" + roster + "HXL900001,林晓雨,110101199003071234,13800138000,1,1,102,1-1-102,0,0\r\n")
        with open(good, "w", encoding="utf-8", newline="") as f:
            f.write("\ufeff" + roster + "HXL900001,林晓雨,110101199003071233,13800138000,1,1,102,1-1-102,0,0\r\n")
        self.go("/sites/huaxiali/dashboard")
        expected = int(self.text("#expected"))
        self.find("#roster-link").click()
        WebDriverWait(d, 10).until(lambda d: d.current_url.endswith("/sites/huaxiali/roster"))
        self.find("input[type=file]").send_keys(bad)
        WebDriverWait(d, 10).until(lambda d: "HXL900001" in d.find_element(By.ID, "roster").get_attribute("value"))
        self.submit("form.roster")
        problems = self.text("#roster-problems")
        assert "id_number" in problems and str(roster.count("\r\n") + 1) in problems, problems
        self.find("input[type=file]").send_keys(good)
        WebDriverWait(d, 10).until(lambda d: "071233" in d.find_element(By.ID, "roster").get_attribute("value"))
        self.shot("17-roster-upload")
        self.submit("form.roster")
        assert "1" in self.text("#notice"), self.text("#notice")
        self.go("/sites/huaxiali/dashboard")
        assert int(self.text("#expected")) == expected + 1, (self.text("#expected"), expected)

        self.step("revoking the coordinator's token signs the page out and clears the cookie")
        number = next(line.split("\t")[0] for line in self.cli("tokens", "list").splitlines()[1:]
                      if line.split("\t")[2] == "coordinator")
        self.cli("tokens", "revoke", number.lstrip("#"))
        self.go("/dashboard")
        assert d.current_url.endswith("/login"), d.current_url
        assert d.get_cookie("swabline_session") is None, "the revoked token's cookie is still there"


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, ".build", "debug", "swabline")
    run = Round(os.path.abspath(binary))
    print(f"browser round against {binary}", flush=True)
    try:
        run.run()
    except Exception as error:  # report which step failed, then fail
        run.report_failure(error, "failure")
        run.stop()
        print(f"{run.steps - 1} passed, 1 failed")
        return 1
    run.stop()
    print(f"{run.steps} passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
