"""Run a command as the user would, timed, with the peak memory of its whole process tree.

The command gets a session (process group) of its own; a thread sums the resident set size
(VmRSS in /proc/<pid>/status) of every process in that group every `SAMPLE_SECONDS` and keeps
the highest sum. Caveats: a peak shorter than the interval can be missed, and pages shared
between processes (copy-on-write after fork, shared libraries) count once per process, so the
figure is an upper bound for the tree at the moments sampled. Linux only.
"""
from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

SAMPLE_SECONDS = 0.25  # a sample reads /proc for every process (its cost: BENCHMARKS.md)


@dataclass(frozen=True)
class Finished:
    returncode: int
    started: float  # time.time() at start, to compare with the timestamps the command prints
    seconds: float
    peak_mb: float
    stdout: str
    stderr: str


def _group_rss_kb(pgid: int) -> int:
    total = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
            # Field 5 (after the parenthesised command, which may hold spaces) is the group id.
            if int(stat.rsplit(")", 1)[1].split()[2]) != pgid:
                continue
            for line in Path(entry.path, "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except (OSError, IndexError, ValueError):  # the process ended while it was read
            continue
    return total


def run(command: list[str], env: dict[str, str], cwd: Path, log_dir: Path) -> Finished:
    """Run `command` to its end; its stdout and stderr are kept in files under `log_dir` too."""
    log_dir.mkdir(parents=True, exist_ok=True)
    out_path, err_path = log_dir / "stdout.txt", log_dir / "stderr.txt"
    peak = 0
    with open(out_path, "w") as out, open(err_path, "w") as err:
        started, clock = time.time(), time.perf_counter()
        proc = subprocess.Popen(command, env=env, cwd=cwd, stdout=out, stderr=err, start_new_session=True)
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.is_set():
                peak = max(peak, _group_rss_kb(proc.pid))
                done.wait(SAMPLE_SECONDS)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        returncode = proc.wait()
        seconds = time.perf_counter() - clock
        done.set()
        sampler.join()
    return Finished(returncode, started, seconds, peak / 1024, out_path.read_text(), err_path.read_text())
