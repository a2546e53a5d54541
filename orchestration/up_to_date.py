"""Whether a refresh has anything to do: a second `make run` with nothing new should not rebuild.

What a refresh produces depends on the delivery files, the project's code, its settings (the
`CRM_*` and `DBT_*` variables), the installed versions of dbt, Dagster and DuckDB, and the day it
runs (the newest daily partition, and marts that age with the date). A successful refresh records
a fingerprint of all of these; the next plain refresh whose fingerprint is the same, and whose
outputs are all still there, has nothing to do and says so (`--force` refreshes anyway).
"""
from __future__ import annotations

import hashlib
import json
import os
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from ingestion.settings import PROJECT_DIR, Settings

STATE_FILE = "last_refresh.json"
# The project's code and configuration: what a refresh runs (tests, bench and docs do not count).
CODE_FOLDERS = ("config", "dbt_project", "diagnostics", "expectations", "ingestion", "kpis", "orchestration",
                "privacy", "report", "serving", "transform")
CODE_SUFFIXES = {".py", ".sql", ".yml", ".yaml", ".csv", ".json", ".html", ".j2", ".css", ".js"}
SKIPPED_FOLDERS = {"target", "logs", "__pycache__", "dbt_packages"}
PACKAGES = ("dbt-core", "dbt-duckdb", "dagster", "dagster-dbt", "duckdb", "great-expectations")


def _files(root: Path, suffixes: set[str] | None = None):
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = sorted(d for d in subfolders if d not in SKIPPED_FOLDERS and not d.startswith("."))
        for name in sorted(names):
            if suffixes is None or os.path.splitext(name)[1] in suffixes:
                yield Path(folder) / name


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return ""


def fingerprint(settings: Settings, newest_day: str) -> str:
    """A hash of everything a refresh's result depends on (see the module docstring). Delivery
    files count by name, size and modification time: the loader decides by content, so a touched
    but unchanged file only costs one refresh."""
    digest = hashlib.sha256()
    for path in _files(settings.landing_dir) if settings.landing_dir.exists() else ():
        stat = path.stat()
        digest.update(f"{path.relative_to(settings.landing_dir)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    for path in (p for folder in CODE_FOLDERS for p in _files(PROJECT_DIR / folder, CODE_SUFFIXES)):
        digest.update(f"{path.relative_to(PROJECT_DIR)}\0".encode() + hashlib.sha256(path.read_bytes()).digest())
    settings_env = {k: v for k, v in os.environ.items() if k.startswith(("CRM_", "DBT_"))}
    versions = {package: _version(package) for package in PACKAGES}
    digest.update(json.dumps([settings_env, versions, newest_day], sort_keys=True).encode())
    return digest.hexdigest()


def _outputs(settings: Settings) -> list[Path]:
    return [settings.warehouse, settings.serving_dir / "serving.duckdb", settings.reports_dir / "kpi_report.html"]


def last_refresh(settings: Settings, current: str) -> str | None:
    """When the last successful refresh ran, if it had this fingerprint and its outputs are all
    still there; else None (refresh)."""
    try:
        state = json.loads((settings.data_dir / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if state.get("fingerprint") != current or not all(path.exists() for path in _outputs(settings)):
        return None
    return state.get("finished_at")


def record_refresh(settings: Settings, current: str) -> None:
    """Remember a successful refresh (written atomically: a killed write leaves the old state)."""
    state = {"fingerprint": current, "finished_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    path = settings.data_dir / STATE_FILE
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(state), encoding="utf-8")
    os.replace(temporary, path)


def forget_refresh(settings: Settings) -> None:
    """Any change made outside a refresh (erasure, a released held file) makes the next one run."""
    (settings.data_dir / STATE_FILE).unlink(missing_ok=True)
