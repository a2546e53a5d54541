"""One size end to end: the refresh cold, warm and on a nightly day, each against the same-work limit.

History is the generator's default window (two years) of one size; the nightly day is the next
day's files (the first of a new month, so its monthly files hold just that day, plus the updates
of older records it brings). In a fresh data folder: a first refresh (cold), a second with nothing
new (warm), then one after the new day's files landed (nightly). The limit does the full
refresh's work, then the nightly day's on top, in a warehouse of its own.
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from bench import limit
from bench.limit import LimitRun
from bench.refresh import RefreshRun, timed_refresh
from ingestion.generate import DEFAULT_END, DEFAULT_START, generate

NEW_DAY = DEFAULT_END + timedelta(days=1)


@dataclass(frozen=True)
class SizeResult:
    size: str
    rows: int
    cold: RefreshRun
    warm: RefreshRun
    nightly: RefreshRun
    limit_full: LimitRun
    limit_nightly: LimitRun

    @property
    def full_tax(self) -> float:
        """The framework tax of a full refresh: the refresh's time over the limit's."""
        return self.cold.seconds / self.limit_full.seconds

    @property
    def nightly_tax(self) -> float:
        return self.nightly.seconds / self.limit_nightly.seconds


def _land(source: Path, landing: Path, new_day: bool) -> set[str]:
    """Copy the history's files (or the new day's) into the landing zone; their labels."""
    month = f"{NEW_DAY:%Y-%m}"
    labels = set()
    for path in sorted(source.rglob("*")):
        if path.is_file() and (month in path.name) == new_day:
            label = path.relative_to(source).as_posix()
            target = landing / label
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target)
            labels.add(label)
    return labels


def run(size: str, work: Path, seed: int = 42) -> SizeResult:
    source, data = work / "generated", work / "data"
    rows = sum(generate(source, seed=seed, size=size, start=DEFAULT_START, end=NEW_DAY).values())
    _land(source, data / "landing", new_day=False)
    cold = timed_refresh("cold", data)
    warm = timed_refresh("warm", data)
    limit_full = limit.full_refresh(data / "landing", work / "limit")
    new_files = _land(source, data / "landing", new_day=True)
    nightly = timed_refresh("nightly", data)
    limit_nightly = limit.nightly(data / "landing", new_files, work / "limit", nightly.window_vars)
    return SizeResult(size, rows, cold, warm, nightly, limit_full, limit_nightly)
