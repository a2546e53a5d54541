"""Merged results on disk: `<results_dir>/<suite_name>/<run_id>.json`, newest last by name.

Run ids start with a UTC timestamp, so file names sort chronologically and the Data Docs can
read only the newest few per suite instead of the whole history.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .outcomes import SuiteResult

ERASED = "[erased]"


def new_run_id(tag: str = "") -> str:
    """`20250301T091500.123456Z`, plus `-<tag>` (e.g. a file hash prefix) to tell runs apart."""
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ")
    return f"{stamp}-{_safe(tag)}" if tag else stamp


def atomic_write_text(path: Path, text: str) -> None:
    """Readers (a browser, a concurrent docs build) never see a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", name)


def write_result(result: SuiteResult, results_dir: Path) -> Path:
    path = Path(results_dir) / _safe(result.suite_name) / f"{_safe(result.run_id or new_run_id())}.json"
    atomic_write_text(path, json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    return path


def read_results(results_dir: Path, per_suite: int = 20) -> dict[str, list[SuiteResult]]:
    """The newest `per_suite` results of every suite, newest first, suites by name."""
    results: dict[str, list[SuiteResult]] = {}
    root = Path(results_dir)
    if not root.is_dir():
        return results
    for suite_dir in sorted(p for p in root.iterdir() if p.is_dir()):
        newest = sorted(suite_dir.glob("*.json"), reverse=True)[:per_suite]
        loaded = [SuiteResult.from_dict(json.loads(p.read_text(encoding="utf-8"))) for p in newest]
        if loaded:
            results[loaded[0].suite_name] = loaded
    return results


def redact_samples(results_dir: Path, erased: Callable[[Any], bool]) -> int:
    """Replace every stored sample value for which `erased` holds by a marker, each result file
    rewritten whole; returns how many values were replaced. Counts and outcomes stay as they were."""
    replaced = 0
    for path in sorted(Path(results_dir).glob("*/*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        hits = 0
        for outcome in data.get("outcomes", ()):
            sample = outcome.get("sample", [])
            outcome["sample"] = [ERASED if value is not None and erased(value) else value for value in sample]
            hits += sum(a != b for a, b in zip(sample, outcome["sample"]))
        if hits:
            atomic_write_text(path, json.dumps(data, indent=2, ensure_ascii=False))
            replaced += hits
    return replaced
