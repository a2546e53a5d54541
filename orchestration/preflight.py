"""Checks before a refresh starts: can it write where it must, is there disk space left?

A read-only warehouse folder used to surface as a DuckDB error deep in the run, then as hours of
retries. Checking first turns it into one sentence that says what to fix, before any lock,
Dagster run or dbt process exists.
"""
from __future__ import annotations

import errno
import shutil
import tempfile
from pathlib import Path

from ingestion.settings import Settings
from orchestration.permanent_errors import permanent_errno, remedy

# Below this much free space a refresh would fail halfway (DuckDB's write-ahead log, dbt's
# rebuilt tables and the serving copy all need room); the floor only catches a full disk early.
MIN_FREE_BYTES = 64 << 20


class PreflightError(RuntimeError):
    """The refresh cannot write where it must; the message says what to fix."""


def _writable_folder(folder: Path, what: str, setting: str) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # A real write, not os.access: root passes access() on a read-only mount or an immutable folder.
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".preflight-"):
            pass
    except OSError as exc:
        number = permanent_errno(exc) or errno.EACCES
        raise PreflightError(remedy(number, f"{what} {folder}", setting)) from exc


def _writable_file(path: Path, what: str, setting: str) -> None:
    if not path.exists():
        return
    try:
        with open(path, "r+b"):
            pass
    except OSError as exc:
        number = permanent_errno(exc) or errno.EACCES
        raise PreflightError(remedy(number, f"{what} {path}", setting)) from exc


def _free_space(folder: Path, what: str, setting: str) -> None:
    free = shutil.disk_usage(folder).free
    if free < MIN_FREE_BYTES:
        raise PreflightError(remedy(errno.ENOSPC, f"{what} {folder} ({free >> 20} MB free, at least {MIN_FREE_BYTES >> 20} MB needed)", setting))


def preflight(settings: Settings) -> None:
    """Raise `PreflightError` unless the data folder and the warehouse can be written and have room."""
    _writable_folder(settings.data_dir, "data folder", "CRM_DATA_DIR")
    _writable_folder(settings.warehouse.parent, "warehouse folder", "CRM_WAREHOUSE")
    _writable_file(settings.warehouse, "warehouse file", "CRM_WAREHOUSE")
    _free_space(settings.data_dir, "data folder", "CRM_DATA_DIR")
    if settings.warehouse.parent != settings.data_dir:
        _free_space(settings.warehouse.parent, "warehouse folder", "CRM_WAREHOUSE")
