"""The KPI report, built from the session's sample warehouse made by the real pipeline, opened in headless Chromium.

Chromium is driven over the DevTools protocol (websockets, installed with Dagster) rather than
Selenium, so the test needs no extra Python package: it records console errors and every request
the page makes, checks each chart rendered, compares the headline with the mart and saves a
screenshot. Without Chromium it skips locally and fails in CI (CI=true).
"""
from __future__ import annotations

import base64
import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
from html import escape
from pathlib import Path

import duckdb
import pytest
from websockets.sync.client import connect

from report.build import build_report
from serving.publish import SERVING_FILE

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1400,1000"]
CHART_CHECK = """JSON.stringify({
  charts: [...document.querySelectorAll('.plotly-graph-div')].map(d => ({id: d.id,
    traces: d.querySelectorAll('svg.main-svg g.trace').length + d.querySelectorAll('canvas').length})),
  headline: [...document.querySelectorAll('#headline .kpi')].map(k => [k.dataset.kpi, k.dataset.value])})"""


@pytest.fixture(scope="module")
def published(built_sample) -> tuple[Path, Path]:
    """The session's built sample: (warehouse, serving copy), read only."""
    return built_sample / "warehouse.duckdb", built_sample / "serving" / SERVING_FILE


@pytest.fixture(scope="module")
def report_file(published, tmp_path_factory) -> Path:
    _, serving = published
    return build_report(source=serving, out=tmp_path_factory.mktemp("report") / "kpi_report.html", language="de")


def chromium() -> str | None:
    found = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is required in CI (make test installs it: apt-get install -y chromium)")
        pytest.skip("chromium not installed (apt-get install -y chromium)")
    return found


class DevTools:
    """A minimal Chrome DevTools Protocol session on one page, recording every event."""

    def __init__(self, ws) -> None:
        self.ws = ws
        self.events: list[dict] = []
        self.next_id = 0
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]

    def send(self, method: str, params: dict | None = None, session: bool = False, timeout: float = 60) -> dict:
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self.session
        self.ws.send(json.dumps(message))
        deadline = time.monotonic() + timeout
        while True:
            reply = json.loads(self.ws.recv(timeout=max(deadline - time.monotonic(), 0.1)))
            if reply.get("id") == self.next_id:
                assert "error" not in reply, reply
                return reply["result"]
            self.events.append(reply)

    def wait_for(self, method: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not any(e.get("method") == method for e in self.events):
            self.events.append(json.loads(self.ws.recv(timeout=max(deadline - time.monotonic(), 0.1))))


def open_in_chromium(path: Path, profile: Path, screenshot: Path) -> tuple[dict, list[dict]]:
    """Open `path` in a fresh profile; return the chart/headline check and every DevTools event."""
    profile.mkdir(parents=True, exist_ok=True)
    log = profile / "chromium.log"
    with log.open("w") as stderr:
        process = subprocess.Popen([chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
                                    "--remote-debugging-port=0", "about:blank"], stdout=subprocess.DEVNULL, stderr=stderr)
    try:
        ws_url = devtools_url(log, process)
        with connect(ws_url, max_size=None, open_timeout=30) as ws:
            return drive(DevTools(ws), path, screenshot)
    finally:
        process.terminate()
        process.wait(timeout=30)


def devtools_url(log: Path, process: subprocess.Popen, timeout: float = 60) -> str:
    """Chromium prints its DevTools endpoint (on a free port, --remote-debugging-port=0) to stderr."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        if match := re.search(r"DevTools listening on (ws://\S+)", log.read_text(errors="replace")):
            return match.group(1)
        time.sleep(0.1)
    raise AssertionError(f"chromium did not start its DevTools endpoint:\n{log.read_text(errors='replace')[-2000:]}")


def drive(tools: DevTools, path: Path, screenshot: Path) -> tuple[dict, list[dict]]:
    """Load the page, let it render, read the charts and headline, take a full-page screenshot."""
    for domain in ("Runtime", "Log", "Network", "Page"):
        tools.send(f"{domain}.enable", session=True)
    tools.send("Page.navigate", {"url": path.as_uri()}, session=True)
    tools.wait_for("Page.loadEventFired")
    time.sleep(1.0)  # let responsive relayouts settle
    check = json.loads(tools.send("Runtime.evaluate", {"expression": CHART_CHECK, "returnByValue": True},
                                  session=True)["result"]["value"])
    size = tools.send("Page.getLayoutMetrics", session=True)["cssContentSize"]
    clip = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}
    shot = tools.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": clip},
                      session=True)
    screenshot.write_bytes(base64.b64decode(shot["data"]))
    return check, tools.events


def test_report_is_one_self_contained_file_with_plotly_inlined_once(report_file):
    html = report_file.read_text(encoding="utf-8")
    assert len(re.findall(r"plotly\.js v\d", html)) == 1, "plotly.js must be inlined exactly once"
    assert not re.search(r"<script[^>]+src=|<link[^>]+href=|<img[^>]+src=", html), "nothing may be loaded from elsewhere"
    assert '<html lang="de">' in html and "Kennzahlen" in html


def test_report_renders_offline_in_a_real_browser(report_file, published, tmp_path):
    warehouse, _ = published
    screenshot = tmp_path / "kpi_report.png"
    check, events = open_in_chromium(report_file, tmp_path / "chromium-profile", screenshot)

    errors = [e for e in events if e.get("method") == "Runtime.exceptionThrown"
              or (e.get("method") == "Runtime.consoleAPICalled" and e["params"]["type"] in ("error", "assert"))
              or (e.get("method") == "Log.entryAdded" and e["params"]["entry"]["level"] == "error")]
    assert errors == []
    requests = [e["params"]["request"]["url"] for e in events if e.get("method") == "Network.requestWillBeSent"]
    assert report_file.as_uri() in requests, "request recording does not work"
    assert [u for u in requests if u != report_file.as_uri() and not u.startswith(("data:", "about:"))] == []

    assert len(check["charts"]) >= 7, "a trend chart per KPI is missing"
    assert [c["id"] for c in check["charts"] if c["traces"] == 0] == [], "charts without rendered traces"

    shown = dict(check["headline"])
    order_kpis = ["revenue_net", "orders", "new_customers", "cancellation_rate"]
    with duckdb.connect(str(warehouse)) as con:  # same configuration as dbt-duckdb's open connection
        mart = con.execute(f"SELECT {', '.join(order_kpis)} FROM marts.kpi_monthly ORDER BY month_start DESC LIMIT 1").fetchone()
    for kpi, expected in zip(order_kpis, mart):
        assert float(shown[kpi]) == pytest.approx(float(expected), rel=1e-12), kpi
    assert screenshot.stat().st_size > 10_000
    print(f"screenshot: {screenshot}")


def test_recommendation_cards_follow_the_mart_s_priority_with_area_and_driver(report_file, published):
    _, serving = published
    with duckdb.connect(str(serving), read_only=True) as con:
        mart = con.execute("SELECT kpi_id, area, priority, dimension, dimension_value FROM marts.analysis_recommendations "
                           "WHERE month_start = (SELECT max(month_start) FROM marts.analysis_trends) ORDER BY priority").fetchall()
    html = report_file.read_text(encoding="utf-8")
    cards = re.findall(r'<div class="recommendation \w+" data-kpi="(\w+)" data-area="(\w+)" data-priority="(\d+)">', html)
    assert cards == [(kpi, area, str(priority)) for kpi, area, priority, _, _ in mart[:len(cards)]]
    for kpi, _, _, dimension, value in mart[:len(cards)]:
        assert escape(f"Treiber: {dimension} = {value}" if dimension != "total" else "kein Treiber nach Dimension") in html, kpi


def test_report_speaks_english_when_asked(published, tmp_path, monkeypatch):
    _, serving = published
    monkeypatch.setenv("CRM_REPORT_LANGUAGE", "en")
    html = build_report(source=serving, out=tmp_path / "kpi_report.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in html and "KPIs" in html and "Recommendations" in html


def test_cli_builds_the_report(published, tmp_path):
    _, serving = published
    out = tmp_path / "cli.html"
    subprocess.run([sys.executable, "-m", "report", "--source", str(serving), "--out", str(out), "--language", "en"],
                   check=True, cwd=Path(__file__).resolve().parents[1])
    assert out.stat().st_size > 1_000_000  # plotly.js is inlined


def _people_in_landing(landing: Path) -> set[str]:
    """Full names and e-mail addresses of customers, contacts, sales owners and service agents."""
    people: set[str] = set()
    columns = {"customers": ("customer_name", "email"), "contacts": ("email",), "deals": ("owner",), "tickets": ("agent", "email")}
    for entity, names in columns.items():
        for path in (landing / "crm" / entity).glob("*.csv"):
            raw = path.read_bytes()
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = raw.decode("cp1252")
            delimiter = ";" if text.split("\n", 1)[0].count(";") else ","
            for row in csv.DictReader(io.StringIO(text), delimiter=delimiter):
                people.update(row[c].strip() for c in names if row.get(c, "").strip())
    return {p for p in people if len(p) > 5}


def test_report_shows_no_person(report_file, published):
    warehouse, _ = published
    html = report_file.read_text(encoding="utf-8")
    people = _people_in_landing(warehouse.parent / "landing")
    assert len(people) > 100, "the sample should hold names and e-mails to look for"
    assert [p for p in people if p in html] == []
    assert re.findall(r"DE\d{20}", html) == []


def test_report_opens_the_serving_copy_read_only(published, tmp_path):
    """A BI tool holding the serving copy open must not stop the report (nor be stopped by it)."""
    _, serving = published
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1], read_only=True); "
         "print('open', flush=True); time.sleep(60)", str(serving)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        out = build_report(source=serving, out=tmp_path / "kpi_report.html", language="de")
        assert out.exists()
    finally:
        holder.kill()
        holder.wait()


def test_each_flag_with_drivers_has_its_drill_down_chart(report_file, published):
    """Risks and chances: a flag whose KPI has drivers that month shows the chart of its top drivers,
    one without shows none."""
    _, serving = published
    with duckdb.connect(str(serving), read_only=True) as con:
        flags = con.execute(
            "SELECT f.kpi_id, count(d.kpi_id) > 0 FROM marts.analysis_flags f LEFT JOIN marts.analysis_drivers d "
            "ON d.kpi_id = f.kpi_id AND d.month_start = f.month_start "
            "WHERE f.month_start = (SELECT max(month_start) FROM marts.analysis_trends) GROUP BY f.kpi_id").fetchall()
    html = report_file.read_text(encoding="utf-8")
    risks = html[html.index('<section id="risks">'):html.index('<section id="recommendations">')]
    shown = {chunk.split('"', 1)[0]: chunk for chunk in re.split(r'<div class="flag \w+" data-kpi="', risks)[1:]}
    assert shown, "the sample's latest month must have flags, or this proves nothing"
    for kpi, has_drivers in flags:
        if kpi in shown:
            assert ("Treiber der Veränderung" in shown[kpi]) == has_drivers, kpi
