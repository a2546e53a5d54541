"""SIGINT and SIGTERM stop the whole headless refresh within seconds.

Dagster, running a job in-process on the main thread, installs its own SIGINT and SIGTERM
handlers: a signal fails the step running at that moment (its retry policy may even run it
again), and while a step waits for a concurrency slot it is only noted. So the refresh runs the
job on a worker thread, where Dagster leaves signals alone, and the main thread waits with
handlers of its own. On a signal it asks the child processes (dbt) to stop, gives them a few
seconds, kills what is left and raises `Stopped`; the caller ends the run in Dagster and leaves
the process without waiting for the worker. The warehouse is then as after a kill: DuckDB rolls
back the open transaction, and the next refresh loads and builds what is missing.
"""
from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
STOPPED_EXIT_CODES = {128 + sig for sig in STOP_SIGNALS}  # the shell's convention: 130 and 143
GRACE_SECONDS = 5.0  # dbt, on SIGINT, cancels its queries and exits within this on an idle machine


class Stopped(Exception):
    """The refresh was stopped by a signal; the process should exit with `exit_code`."""

    def __init__(self, signum: int):
        self.name = signal.Signals(signum).name
        self.exit_code = 128 + signum
        self.published: list[str] = []  # marts published before the signal, if publishing had ended
        super().__init__(f"stopped by {self.name}")

    def last_line(self, published: list[str]) -> str:
        done = f"published {len(published)} marts" if published else "nothing published"
        return f"Refresh stopped by {self.name}: {done}; the next refresh resumes"


def children(pid: int) -> list[int]:
    """Live child processes of `pid` (zombies, already dead, are left out)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        state, ppid = stat.rsplit(")", 1)[1].split()[:2]  # the command name may contain spaces
        if int(ppid) == pid and state != "Z":
            found.append(int(entry.name))
    return found


def stop_children(grace: float = GRACE_SECONDS) -> None:
    """SIGINT to every child of this process (dbt stops cleanly on it), SIGKILL to those left after `grace`."""
    for sig, wait in ((signal.SIGINT, grace), (signal.SIGKILL, 0.0)):
        for pid in children(os.getpid()):
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + wait
        while children(os.getpid()) and time.monotonic() < deadline:
            time.sleep(0.1)


def run_stoppable(work: Callable[[], T]) -> T:
    """`work()` on a worker thread; its result or error, or `Stopped` as soon as SIGINT or SIGTERM comes."""
    outcome: dict[str, object] = {}
    done, received = threading.Event(), []

    def target() -> None:
        try:
            outcome["value"] = work()
        except BaseException as exc:  # handed to the main thread as it is
            outcome["error"] = exc
        finally:
            done.set()

    saved = {sig: signal.signal(sig, lambda signum, _frame: received.append(signum)) for sig in STOP_SIGNALS}
    try:
        threading.Thread(target=target, name="refresh-run", daemon=True).start()
        while not done.wait(0.2) and not received:
            pass
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)
    if received and not done.is_set():
        stop_children()
        raise Stopped(received[0])
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]
