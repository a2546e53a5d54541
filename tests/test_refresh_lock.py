"""Two headless refreshes of one data folder run one after the other, never together (the DuckDB
file has one writer), and `--no-wait` gives up with exit code 3 instead of queueing."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from ingestion.settings import PROJECT_DIR
from orchestration.refresh_lock import refresh_lock
from tests.helpers import seed_settings_parse, settings_for

STAMP = re.compile(r"^\[refresh (\S+)\] (.*)$", re.MULTILINE)


def refresh_env(data_dir: Path) -> dict[str, str]:
    return os.environ | {
        "CRM_DATA_DIR": str(data_dir), "CRM_LANDING_DIR": str(data_dir / "landing"),
        "CRM_WAREHOUSE": str(data_dir / "warehouse.duckdb"), "DAGSTER_HOME": str(data_dir / "dagster_home"),
    }


def start_refresh(data_dir: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "orchestration.refresh", *args], cwd=PROJECT_DIR,
                            env=refresh_env(data_dir), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def window(stderr: str) -> tuple[datetime, datetime]:
    """When the process held the lock: from "lock acquired" to "refresh finished"."""
    events = {message.split(",")[0]: datetime.fromisoformat(ts) for ts, message in STAMP.findall(stderr)}
    return events["lock acquired"], events["refresh finished"]


def test_no_wait_exits_with_code_3_while_another_refresh_holds_the_lock(tmp_path):
    with refresh_lock(tmp_path):
        done = subprocess.run([sys.executable, "-m", "orchestration.refresh", "--no-wait"], cwd=PROJECT_DIR,
                              env=refresh_env(tmp_path), capture_output=True, text=True, timeout=120)
    assert done.returncode == 3, done.stderr
    assert "another refresh is running, not waiting (--no-wait)" in done.stderr


def test_waiting_refresh_says_so(tmp_path):
    with refresh_lock(tmp_path):
        waiting = start_refresh(tmp_path)
        try:
            deadline, line = time.time() + 60, ""
            while "waiting" not in line and time.time() < deadline and waiting.poll() is None:
                line = waiting.stderr.readline()
            assert "another refresh is running, waiting…" in line
            assert waiting.poll() is None, "it should wait, not exit"
        finally:
            waiting.kill()
            waiting.communicate()


@pytest.mark.slow  # two headless refreshes of the CRM ingestion
def test_two_refreshes_started_together_run_one_after_the_other(dbt_manifest, tmp_path):
    from ingestion.generate import generate

    generate(tmp_path / "landing", seed=7, size="tiny", start=date(2025, 1, 1), end=date(2025, 2, 28))
    seed_settings_parse(settings_for(tmp_path))
    # Two real headless refreshes of the CRM ingestion group: the lock is the same for every
    # selection, and leaving out dbt keeps the test fast (the end-to-end tests cover a full run).
    first, second = start_refresh(tmp_path, "--group", "ingest_crm"), start_refresh(tmp_path, "--group", "ingest_crm")
    outputs = [p.communicate(timeout=600) for p in (first, second)]
    for process, (out, err) in zip((first, second), outputs):
        assert process.returncode == 0, err[-3000:]
    windows = sorted(window(err) for _, err in outputs)
    assert windows[0][1] <= windows[1][0], f"refreshes overlapped: {windows}"
    assert sum("waiting…" in err for _, err in outputs) == 1

    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as con:
        twice = con.execute(
            "SELECT count(*) FROM (SELECT file_sha256 FROM raw._loads WHERE status = 'loaded' GROUP BY 1 HAVING count(*) > 1)"
        ).fetchall()[0][0]
        files = con.execute("SELECT count(*) FROM raw._loads WHERE status = 'loaded'").fetchall()[0][0]
        assert con.execute("SELECT count(*) FROM raw.orders").fetchall()[0][0] > 0
    assert twice == 0
    assert files == sum(1 for p in (tmp_path / "landing" / "crm").rglob("*") if p.is_file())


@pytest.mark.parametrize("wait", [True, False])
def test_lock_is_released_when_the_block_ends(tmp_path, wait):
    with refresh_lock(tmp_path, wait=wait):
        pass
    with refresh_lock(tmp_path, wait=False) as path:
        assert path.read_text().strip() == str(os.getpid())
