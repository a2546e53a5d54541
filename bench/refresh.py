"""The refresh users run (`python -m orchestration.refresh`, behind `make run` and cron), timed.

Everything comes from the command's own output, not from calling its parts: the wall time and
process-tree memory of the whole command (`bench.process`), its phases from the timestamps of
its console lines, and its stages from the line of stage seconds it writes into its log file
(`orchestration.stages`). Phases: `startup` (interpreter, imports, preflight, lock), `setup`
(dbt parse, definitions, the days to build), `run` (the Dagster job: the stages and the
executor between them), `wrap-up` (problems, summary, exit).
"""
from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from bench.process import run
from ingestion.settings import PROJECT_DIR
from orchestration.console import TIMINGS

CONSOLE_LINE = re.compile(r"^\[refresh (\S+)\] (.*)$", re.MULTILINE)
# Where each phase ends, by the console line that ends it (the last ends with the process).
PHASE_ENDS = {"startup": "lock acquired", "setup": "daily partitions", "run": "refresh finished"}
LOG_FILE = "dbt and Dagster output: "
# A refresh with nothing new since the last one says so after the lock and runs nothing (`orchestration.up_to_date`).
NOTHING_NEW = "nothing new"
# The daily models' step logs the window it passes to dbt (orchestration.dbt_assets.WINDOW_LOG).
WINDOW_VARS = re.compile(r"dbt window: (\{[^}]*\})")


@dataclass(frozen=True)
class RefreshRun:
    label: str
    exit_code: int
    seconds: float
    peak_mb: float
    phases: dict[str, float]
    stages: dict[str, float]  # the Dagster job's steps, summed per stage
    window_vars: dict[str, str] = field(default_factory=dict)  # the daily models' dbt vars
    last_line: str = ""

    @property
    def validation_share(self) -> float:
        return self.stages.get("validation", 0.0) / self.seconds


def refresh_env(data_dir: Path) -> dict[str, str]:
    return {**os.environ, "CRM_DATA_DIR": str(data_dir), "CRM_LANDING_DIR": str(data_dir / "landing"),
            "CRM_WAREHOUSE": str(data_dir / "warehouse.duckdb"), "DAGSTER_HOME": str(data_dir / "dagster_home"),
            "DO_NOT_TRACK": "1", "DBT_SEND_ANONYMOUS_USAGE_STATS": "False", "GX_ANALYTICS_ENABLED": "False"}


def phases(console: str, started: float, ended: float) -> dict[str, float]:
    """Seconds per phase, from the timestamped console lines (`orchestration.refresh.log`)."""
    marks, found = [started], []
    for stamp, message in CONSOLE_LINE.findall(console):
        for phase, prefix in PHASE_ENDS.items():
            if message.startswith(prefix) and phase not in found:
                found.append(phase)
                marks.append(datetime.fromisoformat(stamp).timestamp())
    if found == ["startup"] and any(message.startswith(NOTHING_NEW) for _, message in CONSOLE_LINE.findall(console)):
        return {"startup": marks[1] - marks[0], "setup": 0.0, "run": 0.0, "wrap-up": ended - marks[1]}
    if found != list(PHASE_ENDS):
        raise ValueError(f"the refresh's console lacks the lines that end phases {sorted(set(PHASE_ENDS) - set(found))}:\n{console}")
    marks.append(ended)
    return {name: b - a for name, a, b in zip([*PHASE_ENDS, "wrap-up"], marks, marks[1:])}


def stage_seconds(log: str) -> dict[str, float]:
    lines = [line for line in log.splitlines() if line.startswith(TIMINGS)]
    if not lines:
        raise ValueError(f"no {TIMINGS!r} line in the refresh's log")
    return json.loads(lines[-1].removeprefix(TIMINGS))


def window_vars(log: str) -> dict[str, str]:
    found = WINDOW_VARS.findall(log)
    return json.loads(found[-1]) if found else {}


def timed_refresh(label: str, data_dir: Path) -> RefreshRun:
    """One refresh of `data_dir`; raises if it fails, with its console output."""
    finished = run([sys.executable, "-m", "orchestration.refresh"], refresh_env(data_dir), PROJECT_DIR,
                   data_dir / "bench" / label)
    if finished.returncode not in (0, 2):  # 2: published, some files held back
        raise RuntimeError(f"{label} refresh failed ({finished.returncode}):\n{finished.stderr}\n{finished.stdout}")
    log_files = [m.removeprefix(LOG_FILE) for _, m in CONSOLE_LINE.findall(finished.stderr) if m.startswith(LOG_FILE)]
    log = Path(log_files[-1]).read_text(encoding="utf-8", errors="replace") if log_files else ""
    return RefreshRun(label, finished.returncode, finished.seconds, finished.peak_mb,
                      phases(finished.stderr, finished.started, finished.started + finished.seconds),
                      stage_seconds(log) if log_files else {}, window_vars(log), finished.stdout.strip().splitlines()[-1])
