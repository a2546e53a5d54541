"""A killed or stopped refresh blocks nothing: real headless refreshes (`python -m
orchestration.refresh`) on the tiny sample, one data folder, one after the other:

1. SIGKILL during loading (some entities loaded, the run holds the `warehouse` pool slot),
2. SIGKILL during the dbt build (a dbt process running),
3. SIGTERM during the dbt build,
4. SIGKILL during publishing,
5. a last refresh.

Each refresh after a kill gets past the killed run's slot without a manual step (it could not
reach the next kill point otherwise), no dbt process outlives its refresh, and the last refresh
gives exactly the marts of a clean run of the same sample. One chain keeps the number of full
refreshes small: the dbt build and publishing run fully only in steps 4 and 5.
"""
from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import dagster as dg
import pytest

from ingestion.settings import PROJECT_DIR
from tests.helpers import env_for, seed_settings_parse, settings_for, table_contents

pytestmark = pytest.mark.slow

DAYS = ("--days", "2025-01-01:2025-02-28")
LINEAGE = ("_file", "_line", "_loaded_at", "_file_sha256", "last_loaded_at")
ABOUT_THE_LOADS = ("marts.analysis_data_provenance", "marts.data_status")  # report load times and runs
STOP_WITHIN_SECONDS = 20
RELEASED = re.compile(r"(\d+) run\(s\) of a killed refresh marked failed, their concurrency slots freed")


def _generate(data: Path) -> None:
    from ingestion.generate import generate

    generate(data / "landing", seed=7, size="tiny", start=date(2025, 1, 1), end=date(2025, 2, 28))
    seed_settings_parse(settings_for(data))


def _env(data: Path) -> dict[str, str]:
    # DEBUG: the log file then has Dagster's STEP_START lines, which time the kill during publishing.
    return env_for(data) | {"CRM_HISTORY_START": "2025-01-01", "CRM_LOG_LEVEL": "DEBUG"}


def _start(data: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "orchestration.refresh", *DAYS], cwd=PROJECT_DIR, env=_env(data),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _log_text(data: Path, since: set[Path]) -> str:
    return "".join(p.read_text(errors="replace") for p in (data / "logs").glob("refresh-*.log") if p not in since)


def _live(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _dbt_children(pid: int, selecting: bytes = b"dbt") -> list[int]:
    """Live dbt processes started by `pid` whose command line holds `selecting`."""
    from orchestration.signals import children

    found = []
    for child in children(pid):
        try:
            command = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        if b"dbt" in command and selecting in command:
            found.append(child)
    return found


def _interrupt(data: Path, sig: int, ready, timeout: float = 900) -> dict:
    """Start a refresh, send `sig` once `ready(log_text, process)` holds; what happened."""
    since = set((data / "logs").glob("refresh-*.log")) if (data / "logs").exists() else set()
    process = _start(data)
    deadline = time.monotonic() + timeout
    dbt: list[int] = []
    # During dbt, the dbt process is taken at the moment the point is reached: a look a moment later
    # can fall between two dbt invocations (or into an exec) and find none.
    while not (ready(_log_text(data, since) if (data / "logs").exists() else "", process)
               and ((dbt := _dbt_children(process.pid)) or ready is not _dbt_building)):
        assert process.poll() is None, f"the refresh ended before the {sig.name}: {process.communicate()[1][-3000:]}"
        assert time.monotonic() < deadline, f"the refresh never reached the point for {sig.name}"
        time.sleep(0.1)
    sent = time.monotonic()
    process.send_signal(sig)
    out, err = process.communicate(timeout=120)
    seconds = time.monotonic() - sent
    time.sleep(1)  # the kernel's PR_SET_PDEATHSIG kill is immediate; give the reaper a moment
    return {"code": process.returncode, "seconds": seconds, "out": out, "err": err,
            "dbt": dbt, "dbt_left": [pid for pid in dbt if _live(pid)]}


def _loading(log: str, _process) -> bool:
    return len(re.findall(r" - raw__\w+ - \w+: \d+ new file\(s\)", log)) >= 3


def _dbt_building(_log: str, process) -> bool:
    # the models' build, not the seeds' (which may run before ingestion): it selects the staging models
    return bool(_dbt_children(process.pid, b"stg_"))


def _publishing(log: str, _process) -> bool:
    return "serving__serving_copy - STEP_START" in log


def _marts(db: Path) -> dict[str, list]:
    return {name: rows for name, rows in table_contents(db, ("marts",), LINEAGE).items() if name not in ABOUT_THE_LOADS}


@pytest.fixture(scope="module")
def clean(dbt_manifest, tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("recovery-clean")
    _generate(data)
    done = subprocess.run([sys.executable, "-m", "orchestration.refresh", *DAYS], cwd=PROJECT_DIR, env=_env(data),
                          capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stderr[-3000:]
    return data


@pytest.fixture(scope="module")
def chain(dbt_manifest, tmp_path_factory) -> tuple[Path, dict]:
    data = tmp_path_factory.mktemp("recovery-chain")
    _generate(data)
    steps = {"load_kill": _interrupt(data, signal.SIGKILL, _loading),
             "dbt_kill": _interrupt(data, signal.SIGKILL, _dbt_building),
             "dbt_term": _interrupt(data, signal.SIGTERM, _dbt_building),
             "publish_kill": _interrupt(data, signal.SIGKILL, _publishing)}
    last = subprocess.run([sys.executable, "-m", "orchestration.refresh", *DAYS], cwd=PROJECT_DIR, env=_env(data),
                          capture_output=True, text=True, timeout=1800)
    steps["last"] = {"code": last.returncode, "out": last.stdout, "err": last.stderr}
    yield data, steps
    shutil.rmtree(data, ignore_errors=True)


def test_every_kill_landed_mid_work(chain):
    _, steps = chain
    for name in ("load_kill", "dbt_kill", "publish_kill"):
        assert steps[name]["code"] == -signal.SIGKILL, (name, steps[name]["err"][-2000:])
    assert steps["dbt_kill"]["dbt"] and steps["dbt_term"]["dbt"], "a dbt process must have been running"


def test_each_refresh_after_a_kill_releases_the_killed_run_and_says_so(chain):
    _, steps = chain
    for name in ("dbt_kill", "dbt_term", "last"):  # each follows a killed or stopped refresh
        released = RELEASED.search(steps[name]["err"])
        assert released and int(released.group(1)) >= 1, (name, steps[name]["err"][-2000:])


def test_no_dbt_process_outlives_its_refresh(chain):
    _, steps = chain
    assert steps["dbt_kill"]["dbt_left"] == [] and steps["dbt_term"]["dbt_left"] == []


def test_sigterm_stops_the_whole_refresh_within_seconds_and_says_so(chain):
    _, steps = chain
    term = steps["dbt_term"]
    assert term["code"] == 143, term["err"][-2000:]
    assert term["seconds"] < STOP_WITHIN_SECONDS
    assert term["out"].rstrip().splitlines()[-1] == "Refresh stopped by SIGTERM: nothing published; the next refresh resumes"


def test_the_last_refresh_succeeds_and_leaves_no_run_unfinished_or_slot_held(chain):
    data, steps = chain
    assert steps["last"]["code"] == 0, steps["last"]["err"][-3000:]
    assert steps["last"]["out"].rstrip().splitlines()[-1].startswith("Refresh succeeded: published")
    instance = dg.DagsterInstance.from_config(str(data / "dagster_home"))
    statuses = [run.status for run in instance.get_runs()]
    assert statuses.count(dg.DagsterRunStatus.SUCCESS) == 1 and all(run_status in (
        dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED) for run_status in statuses)
    assert instance.event_log_storage.get_concurrency_run_ids() == set()


def test_after_the_kills_every_mart_equals_a_clean_run(chain, clean):
    data, _ = chain
    expected = _marts(clean / "warehouse.duckdb")
    assert len(expected) > 3
    assert _marts(data / "warehouse.duckdb") == expected
    assert _marts(data / "serving" / "serving.duckdb") == expected
