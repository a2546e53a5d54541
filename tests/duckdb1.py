"""A Python with DuckDB 1.4, like the DuckDB embedded in BI drivers (Evidence's, for one), plus
what the README's BI recipes need: pandas for `.df()`, duckdb-engine for Superset's URI.

Made once with pip and kept in pytest's cache folder, so only the first run pays for the
download (without the cache plugin, once per session under the tmp folder). A lock keeps two
sessions from building it at once; a marker file says it is complete.
"""
from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGES = ("duckdb==1.4.*", "pandas==2.*", "duckdb-engine==0.17.*")
COMPLETE = "complete"


def _build(venv: Path) -> None:
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True, capture_output=True, timeout=180)
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    *PACKAGES], check=True, capture_output=True, text=True, timeout=900)
    (venv / COMPLETE).write_text("\n".join(PACKAGES), encoding="utf-8")


@pytest.fixture(scope="session")
def duckdb1_python(request, tmp_path_factory) -> Path:
    cache = getattr(request.config, "cache", None)
    root = Path(cache.mkdir("duckdb1-venv")) if cache is not None else tmp_path_factory.mktemp("duckdb1")
    venv = root / "venv"
    with open(root / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        marker = venv / COMPLETE
        if not (marker.exists() and marker.read_text(encoding="utf-8") == "\n".join(PACKAGES)):
            try:
                _build(venv)
            except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
                detail = getattr(exc, "stderr", None) or exc
                message = f"cannot install {' '.join(PACKAGES)} with pip into a venv: {detail}"
                if os.environ.get("CI", "").lower() == "true":
                    pytest.fail(message)
                pytest.skip(message)
    return venv / "bin" / "python"
