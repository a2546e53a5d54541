"""The headless refresh's console: dbt's and Dagster's own output in a log file, problems and outcome at the end.

dagster-dbt re-prints every dbt event on stdout, Dagster's console logger writes to stderr, and
subprocesses inherit both. Pointing file descriptors 1 and 2 at the log file catches all of them,
and so does swapping `sys.stdout`/`sys.stderr` (which a test runner may have replaced); the
console keeps its own copies of the original descriptors for the one line per stage.
"""
from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from datetime import datetime
from pathlib import Path
from typing import TextIO

from diagnostics.problem import Problem, format_problems

TIMINGS = "stage seconds: "  # prefix of the log line with each stage's seconds (orchestration.stages; read by bench.refresh)


def refresh_log_path(logs_dir: Path, started: datetime) -> Path:
    return logs_dir / f"refresh-{started:%Y%m%dT%H%M%SZ}.log"


@contextmanager
def output_to(log_file: Path) -> Iterator[TextIO]:
    """Within the block, everything written to stdout or stderr goes to `log_file`; the stream
    yielded writes to the console's stderr."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    saved = os.dup(1), os.dup(2)
    console = os.fdopen(os.dup(2), "w", buffering=1, encoding="utf-8", errors="replace")
    with open(log_file, "a", buffering=1, encoding="utf-8", errors="replace") as log:
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)
        try:
            with redirect_stdout(log), redirect_stderr(log):
                yield console
        finally:
            log.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            for fd in saved:
                os.close(fd)
            console.close()


def problems_text(problems: list[Problem]) -> str:
    if not problems:
        return ""
    return f"\n{len(problems)} problem(s) found:\n" + "\n".join(format_problems(problems)) + "\n"


def outcome(success: bool, published: list[str], problems: list[Problem], log_file: Path, held: int = 0) -> str:
    """The last line of a refresh: what was published, how many files are held back, and whether
    anything went wrong."""
    found = f"{len(problems)} problem(s) above" if problems else f"see {log_file}"
    done = f"published {len(published)} marts" if published else "nothing published"
    if held:
        done += f", {held} file(s) held back"
    if not success:
        kept = "" if published else "; BI tools keep the last published copy"
        return f"Refresh failed: {done}, {found}{kept}"
    if problems:
        return f"Refresh finished with problems: {done}, {found}"
    return f"Refresh succeeded: {done}"
