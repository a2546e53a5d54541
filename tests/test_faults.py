"""Faults survived, with real processes: SIGKILL during ingestion and during the dbt build, the
same delivery twice and an overlapping export, a full disk during a build, a stale write-ahead log
beside the serving file. After each, a rerun gives exactly the result of a clean run and the
serving copy is never left changed in between.

Speed: after the dbt kill, seeds and models are rebuilt without dbt's tests (the clean run passed
them on the same data).
"""
from __future__ import annotations

import csv
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from ingestion.settings import PROJECT_DIR
from tests.helpers import (
    MODELS_ONLY, env_for, load_landing, raw_counts, republish, run_dbt_child, seed_settings_parse, settings_for,
    table_contents)
from transform.dbt import DbtError, child_command, child_env, log_dir, target_dir

# Big enough that loading it takes over a second even on an idle machine, so the kill lands before its commit.
BIG_ROWS = 1_000_000
LINEAGE = ("_file", "_line", "_loaded_at", "_file_sha256", "last_loaded_at")
# Reports the deliveries themselves (files, rows, load times): the fault run has one file more.
ABOUT_THE_LOADS = ("marts.analysis_data_provenance", "marts.data_status")


def _marts(db: Path) -> dict[str, list]:
    contents = table_contents(db, ("marts",), LINEAGE)
    return {name: rows for name, rows in contents.items() if name not in ABOUT_THE_LOADS}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _write_big_orders(clean: Path, target: Path) -> int:
    """Older versions (updated_at in 2000) of real orders: loads for seconds, never wins in staging,
    so every mart must come out exactly as in the clean run."""
    with duckdb.connect(str(clean / "warehouse.duckdb"), read_only=True) as con:
        rows = con.execute(
            "SELECT DISTINCT ON (order_id) order_id, customer_id, strftime(ordered_at, '%Y-%m-%dT%H:%M:%SZ'), status, "
            "sales_channel, currency, payment_reference FROM raw.orders ORDER BY order_id").fetchall()
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["order_id", "customer_id", "ordered_at", "status", "sales_channel", "currency",
                         "payment_reference", "updated_at"])
        base = datetime(2000, 1, 1)
        for i in range(BIG_ROWS):  # (order_id, updated_at) unique: a duplicate key would be quarantined
            version = base + timedelta(seconds=i // len(rows))
            writer.writerow([*rows[i % len(rows)], version.strftime("%Y-%m-%dT%H:%M:%SZ")])
    return BIG_ROWS


def _opened_by(pid: int, path: Path) -> bool:
    try:
        return any(os.readlink(f"/proc/{pid}/fd/{fd}") == str(path) for fd in os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return False


def _kill_when(proc: subprocess.Popen, ready, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        assert proc.poll() is None, "the process finished before it could be killed"
        assert time.monotonic() < deadline, "the process never reached the point to kill it at"
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


@pytest.fixture(scope="module")
def killed_and_recovered(built_sample, tmp_path_factory):
    """A copy of the clean run's serving copy beside the clean run's landing files plus one big
    file; ingestion is killed while loading the big file, rerun, dbt build killed mid-run, rerun."""
    data = tmp_path_factory.mktemp("h8-faults") / "data"
    shutil.copytree(built_sample / "landing", data / "landing")
    shutil.copytree(built_sample / "serving", data / "serving")
    big = data / "landing" / "crm" / "orders" / "orders_zz_old_versions.csv"
    big_rows = _write_big_orders(built_sample, big)
    settings = settings_for(data)
    serving = data / "serving" / "serving.duckdb"
    observed = {"serving_before": _sha(serving)}

    loader = subprocess.Popen([sys.executable, "-c", "from ingestion.settings import load_settings; "
                               "from tests.helpers import load_landing; load_landing(load_settings())"],
                              env=env_for(data), cwd=PROJECT_DIR)
    _kill_when(loader, lambda: _opened_by(loader.pid, big) and time.sleep(0.4) is None)
    observed["loader_exit"] = loader.returncode
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        observed["big_in_ledger_after_kill"] = con.execute(
            "SELECT count(*) FROM raw._loads WHERE file LIKE '%orders_zz_old_versions.csv'").fetchall()[0][0]
    observed["serving_after_load_kill"] = _sha(serving)
    load_landing(settings)
    seed_settings_parse(settings)

    log = log_dir(target_dir(settings)) / "dbt.log"
    build = subprocess.Popen(child_command("build", target=target_dir(settings)), env=child_env(settings), cwd=PROJECT_DIR,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _kill_when(build, lambda: log.exists() and "OK created sql" in log.read_text(errors="replace"))
    observed["dbt_exit"] = build.returncode
    observed["serving_after_dbt_kill"] = _sha(serving)
    run_dbt_child("build", *MODELS_ONLY, settings=settings)
    republish(settings)
    return data, big_rows, observed


def test_killed_processes_really_died_mid_work(killed_and_recovered):
    _, _, observed = killed_and_recovered
    assert observed["loader_exit"] == -signal.SIGKILL and observed["dbt_exit"] == -signal.SIGKILL
    assert observed["big_in_ledger_after_kill"] == 0, "the big file's transaction must not have committed"


def test_the_serving_copy_never_changed_while_processes_were_killed(killed_and_recovered):
    _, _, observed = killed_and_recovered
    assert observed["serving_after_load_kill"] == observed["serving_before"] == observed["serving_after_dbt_kill"]


def test_nothing_was_loaded_twice(killed_and_recovered, built_sample):
    data, big_rows, _ = killed_and_recovered
    expected = raw_counts(built_sample / "warehouse.duckdb")
    expected["orders"] += big_rows
    assert raw_counts(data / "warehouse.duckdb") == expected
    with duckdb.connect(str(data / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM (SELECT file FROM raw._loads WHERE status = 'loaded' "
                           "GROUP BY file HAVING count(*) > 1)").fetchall()[0][0] == 0


def test_every_mart_equals_the_clean_run(killed_and_recovered, built_sample):
    data, _, _ = killed_and_recovered
    expected = _marts(built_sample / "warehouse.duckdb")
    assert len(expected) > 3
    for db in (data / "warehouse.duckdb", data / "serving" / "serving.duckdb"):
        actual = _marts(db)  # may hold marts added to the project since the clean build, never fewer
        assert {name: actual.get(name) for name in expected} == expected


def test_the_same_delivery_twice_and_an_overlapping_export_count_once(built_sample, data_copy):
    data = data_copy
    folder = data / "landing" / "crm" / "orders"
    files = sorted(folder.glob("*.csv"))
    first = files[0]
    second = next(p for p in files[1:] if p.read_bytes().split(b"\n")[0] == first.read_bytes().split(b"\n")[0])
    shutil.copy(first, folder / "orders_resent.csv")
    # one export overlapping two earlier ones, in the same format (encoding, delimiter) as they are
    overlap = first.read_bytes() + b"".join(second.read_bytes().splitlines(keepends=True)[1:])
    (folder / "orders_overlapping_export.csv").write_bytes(overlap)
    statuses = sorted((r.file.rsplit("/", 1)[-1], r.status) for r in load_landing(settings_for(data)))
    assert statuses == [("orders_overlapping_export.csv", "loaded"), ("orders_resent.csv", "duplicate")]
    run_dbt_child("build", "--select", "stg_crm__orders", "stg_crm__order_lines", *MODELS_ONLY, settings=settings_for(data))
    staged = table_contents(data / "warehouse.duckdb", ("staging",), LINEAGE)["staging.stg_crm__orders"]
    assert staged == table_contents(built_sample / "warehouse.duckdb", ("staging",), LINEAGE)["staging.stg_crm__orders"]
    with duckdb.connect(str(data / "warehouse.duckdb"), read_only=True) as con:
        revenue = con.execute("SELECT count(*), sum(line_net_value) FROM staging.stg_crm__order_lines").fetchall()
    with duckdb.connect(str(built_sample / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*), sum(line_net_value) FROM staging.stg_crm__order_lines").fetchall() == revenue


@pytest.fixture
def small_tmpfs(tmp_path, built_sample):
    """A tmpfs inside the data folder, 2 MB larger than the sample warehouse; skipped where mounting
    is not permitted (failed in CI, where it must run)."""
    mount = tmp_path / "data" / "full"
    mount.mkdir(parents=True)
    size_mb = (built_sample / "warehouse.duckdb").stat().st_size // (1 << 20) + 2
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_mb}m", "tmpfs", str(mount)], capture_output=True, text=True)
    if done.returncode != 0:
        if os.environ.get("CI") == "true":
            pytest.fail(f"cannot mount a tmpfs in CI: {done.stderr.strip()}")
        pytest.skip(f"mounting a tmpfs is not permitted here: {done.stderr.strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_during_the_build_fails_clearly_and_keeps_the_serving_copy(built_sample, small_tmpfs):
    data = small_tmpfs.parent
    shutil.copytree(built_sample / "serving", data / "serving")
    serving = data / "serving" / "serving.duckdb"
    before = _sha(serving)
    warehouse = small_tmpfs / "warehouse.duckdb"
    shutil.copy(built_sample / "warehouse.duckdb", warehouse)
    with open(small_tmpfs / "filler", "wb", buffering=0) as filler:  # fill the disk to the last byte
        try:
            while filler.write(b"\0" * 65536):
                pass
        except OSError:
            pass
    settings = replace(settings_for(data), warehouse=warehouse)
    with pytest.raises(DbtError) as failure:
        run_dbt_child("build", *MODELS_ONLY, settings=settings)
        republish(settings)
    assert "space" in str(failure.value).lower() or "write" in str(failure.value).lower(), str(failure.value)
    assert _sha(serving) == before
    with duckdb.connect(str(serving), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM marts.fct_orders").fetchall()[0][0] > 0


def test_a_stale_wal_beside_the_serving_file_is_dropped_at_publish(built_sample, data_copy):
    data = data_copy
    serving = data / "serving" / "serving.duckdb"
    Path(f"{serving}.wal").write_bytes(os.urandom(4096))
    republish(settings_for(data))
    assert not Path(f"{serving}.wal").exists()
    expected = table_contents(built_sample / "serving" / "serving.duckdb", ("marts",))
    assert table_contents(serving, ("marts",)) == expected
