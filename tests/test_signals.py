"""SIGTERM and SIGINT stop work running on the refresh's worker thread within seconds, and its
child processes with it (fast: a sleeping child instead of a refresh; the whole refresh is in
tests/test_recovery.py)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ingestion.settings import PROJECT_DIR

# Work that ignores signals, as Dagster's step does on its worker thread, with a child that would outlive it.
SCRIPT = """
import subprocess, sys, time
from orchestration.signals import Stopped, run_stoppable

def work():
    child = subprocess.Popen(["sleep", "300"])
    print(child.pid, flush=True)
    time.sleep(300)

try:
    run_stoppable(work)
except Stopped as stop:
    print(stop.last_line([]), flush=True)
    sys.stdout.flush()
    import os; os._exit(stop.exit_code)
"""


def _alive(pid: int) -> bool:
    """Running: a zombie (killed, not yet reaped by whoever inherited it) counts as dead."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_stops_the_work_and_its_children_within_seconds(sig, code):
    process = subprocess.Popen([sys.executable, "-c", SCRIPT], cwd=PROJECT_DIR, stdout=subprocess.PIPE, text=True,
                               env=os.environ | {"PYTHONPATH": str(PROJECT_DIR)})
    child = int(process.stdout.readline())
    sent = time.monotonic()
    process.send_signal(sig)
    out, _ = process.communicate(timeout=30)
    assert process.returncode == code
    assert time.monotonic() - sent < 10
    assert out.strip() == f"Refresh stopped by {sig.name}: nothing published; the next refresh resumes"
    deadline = time.monotonic() + 5
    while _alive(child) and time.monotonic() < deadline:  # killed; a zombie until its new parent reaps it
        time.sleep(0.1)
    assert not _alive(child)
