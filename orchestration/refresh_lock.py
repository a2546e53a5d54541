"""One headless refresh at a time, per data folder.

`python -m orchestration.refresh` runs the job in-process, outside the Dagster run queue, so
`max_concurrent_runs: 1` does not stop two cron entries (or a cron entry and `make run`) from
writing the single-writer DuckDB file together. An exclusive `flock` on
`$CRM_DATA_DIR/.refresh.lock` does: the second refresh waits for the first, or with `--no-wait`
gives up. The kernel drops the lock when the process ends, however it ends, so a killed refresh
never leaves a stale lock behind.
"""
from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Callable

LOCK_FILE = ".refresh.lock"


class RefreshLocked(RuntimeError):
    """Another refresh holds the lock and the caller chose not to wait."""


@contextmanager
def refresh_lock(data_dir: Path, wait: bool = True, on_wait: Callable[[str], None] = print) -> Iterator[Path]:
    """Hold the exclusive refresh lock of `data_dir` for the duration of the block."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / LOCK_FILE
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            if not wait:
                raise RefreshLocked(f"another refresh is running, not waiting (--no-wait); {holder}lock {path}") from None
            on_wait(f"another refresh is running, waiting… ({holder}lock {path})")
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield path
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _holder(fd: int) -> str:
    """`pid N, ` of the process that holds the lock, as it wrote into the file, if readable."""
    text = os.pread(fd, 32, 0).decode(errors="replace").strip()
    return f"pid {text}, " if text.isdigit() else ""
