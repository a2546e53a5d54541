"""A refresh with nothing new rebuilds nothing: the fingerprint sees every input that changes a
result (delivery files, settings, the day), and a plain refresh with the recorded one only says so."""
from __future__ import annotations

import hashlib
import os
from argparse import Namespace
from pathlib import Path

import pytest

from orchestration.up_to_date import STATE_FILE, fingerprint, forget_refresh, last_refresh, record_refresh
from tests.helpers import data_dir_env, settings_for

DAY = "2025-12-30"


@pytest.fixture
def settings(tmp_path: Path):
    landing = tmp_path / "landing" / "crm" / "orders"
    landing.mkdir(parents=True)
    (landing / "orders_1.csv").write_text("order_id\nA\n", encoding="utf-8")
    for output in ("warehouse.duckdb", "serving/serving.duckdb", "reports/kpi_report.html"):
        (tmp_path / output).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / output).write_text("", encoding="utf-8")
    return settings_for(tmp_path)


def test_the_same_inputs_give_the_same_fingerprint_and_each_input_changes_it(settings, monkeypatch):
    first = fingerprint(settings, DAY)
    assert fingerprint(settings, DAY) == first
    assert fingerprint(settings, "2025-12-31") != first, "a new day must refresh (the nightly)"
    monkeypatch.setenv("CRM_REJECT_THRESHOLD", "0.5")
    assert fingerprint(settings, DAY) != first, "a changed setting must refresh"
    monkeypatch.delenv("CRM_REJECT_THRESHOLD")
    new_file = settings.landing_dir / "crm" / "orders" / "orders_2.csv"
    new_file.write_text("order_id\nB\n", encoding="utf-8")
    assert fingerprint(settings, DAY) != first, "a new delivery must refresh"
    new_file.unlink()
    assert fingerprint(settings, DAY) == first
    os.utime(settings.landing_dir / "crm" / "orders" / "orders_1.csv", ns=(1, 1))
    assert fingerprint(settings, DAY) != first, "a rewritten delivery must refresh"


def test_only_a_recorded_fingerprint_with_every_output_in_place_counts_as_up_to_date(settings):
    current = fingerprint(settings, DAY)
    assert last_refresh(settings, current) is None, "nothing recorded yet"
    record_refresh(settings, current)
    assert last_refresh(settings, current)
    assert last_refresh(settings, fingerprint(settings, "2025-12-31")) is None
    (settings.reports_dir / "kpi_report.html").unlink()
    assert last_refresh(settings, current) is None, "a missing output must be rebuilt"
    forget_refresh(settings)
    assert not (settings.data_dir / STATE_FILE).exists()


def test_only_a_plain_refresh_is_skipped():
    from orchestration.refresh import _is_plain, parse_args

    assert _is_plain(parse_args([]))
    for argv in (["--force"], ["--rebuild"], ["--retry-held"], ["--group", "marts"]):
        assert not _is_plain(parse_args(argv)), argv
    assert not _is_plain(Namespace(groups=None, days=("2025-01-01", "2025-01-02"), rebuild=False, retry_held=False,
                                   force=False))


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_second_refresh_with_nothing_new_changes_nothing_and_says_so(data_copy, capsys):
    """The built sample as a successful refresh leaves it: the plain refresh starts no run."""
    from orchestration.partitions import daily_partitions
    from orchestration.refresh import main

    with data_dir_env(data_copy):
        settings = settings_for(data_copy)
        record_refresh(settings, fingerprint(settings, daily_partitions().get_last_partition_key()))
        before = {path: _sha(path) for path in (settings.warehouse, settings.serving_dir / "serving.duckdb")}
        assert main([]) == 0
    out = capsys.readouterr().out
    assert "Nothing to refresh: nothing changed since the refresh of" in out
    assert "revenue_net" in out, "the headline KPIs are still printed"
    assert {path: _sha(path) for path in before} == before
    assert not (data_copy / "logs").exists() or not list((data_copy / "logs").glob("refresh-*.log")), \
        "no run was started, so no run log"
