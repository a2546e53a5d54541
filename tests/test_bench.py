"""The benchmark: its same-work script is the dbt project's manifest and runs; the refresh says its stage times.

The fast tests build the script from a small hand-made manifest; the slow one compiles the real
project, reads the tiny sample with DuckDB's reader and runs every model and data test in one
session, where every test must pass as it does in the pipeline.
"""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from bench import deliveries, limit, samework


def _node(kind: str, name: str, parents: list[str], materialized: str = "table", **config) -> dict:
    return {"resource_type": kind, "name": name, "schema": "marts", "relation_name": f'"warehouse"."marts"."{name}"',
            "depends_on": {"nodes": parents}, "config": {"materialized": materialized, **config},
            "compiled_code": f"select 1 as id -- {name}", "columns": {}, "original_file_path": f"seeds/{name}.csv"}


MANIFEST = {"nodes": {
    "test.p.not_null_b_id": _node("test", "not_null_b_id", ["model.p.b"]),
    "model.p.b": _node("model", "b", ["model.p.a", "model.p.inc"]),
    "model.p.a": _node("model", "a", [], "view"),
    "model.p.inc": _node("model", "inc", ["model.p.a"], "incremental", unique_key="id"),
    "unit_test.p.b.u": _node("unit_test", "u", ["model.p.b"]),
}}


def test_build_order_puts_every_node_after_its_parents_and_leaves_out_unit_tests():
    order = samework.build_order(MANIFEST)
    assert order.index("model.p.a") < order.index("model.p.inc") < order.index("model.p.b") < order.index("test.p.not_null_b_id")
    assert "unit_test.p.b.u" not in order


def test_script_builds_each_model_by_its_materialization_and_counts_each_test():
    full = samework.script(MANIFEST, Path("."))
    assert 'CREATE OR REPLACE VIEW "warehouse"."marts"."a"' in full
    assert 'CREATE OR REPLACE TABLE "warehouse"."marts"."inc"' in full
    assert f"INSERT INTO {samework.RESULTS} SELECT 'test.p.not_null_b_id'" in full
    nightly = samework.script(MANIFEST, Path("."), incremental=True)
    assert 'DELETE FROM "warehouse"."marts"."inc" WHERE EXISTS' in nightly


@pytest.mark.slow
def test_same_work_limit_runs_every_model_and_data_test_of_the_manifest(tmp_path):
    from ingestion.generate import generate

    generate(tmp_path / "landing", seed=7, size="tiny")
    run = limit.full_refresh(tmp_path / "landing", tmp_path / "limit")
    manifest = samework.load_manifest(tmp_path / "limit" / "target_full")
    script = (tmp_path / "limit" / "full.sql").read_text()
    nodes = manifest["nodes"]
    models = [n for n in nodes.values() if n["resource_type"] == "model"]
    tests = [uid for uid, n in nodes.items() if n["resource_type"] == "test"]
    assert models and tests
    built = [n for n in models if n["config"]["materialized"] != "ephemeral"]
    assert not [n["name"] for n in built if f"{n['relation_name']} AS (" not in script and f"{n['relation_name']} (" not in script]
    assert not [uid for uid in tests if f"'{uid}'" not in script]
    assert (run.models, run.tests, run.failed_tests) == (len(models), len(tests), [])
    with duckdb.connect(str(tmp_path / "limit" / limit.WAREHOUSE), read_only=True) as con:
        files = con.execute("SELECT count(*) FROM raw._loads").fetchall()[0][0]
        orders = con.execute("SELECT count(*) FROM marts.fct_orders").fetchall()[0][0]
    assert files == run.files == len(deliveries.find_deliveries(tmp_path / "landing")) and orders > 0


def test_the_refresh_writes_each_stages_seconds_in_the_line_the_benchmark_reads(capsys):
    import dagster as dg

    from bench.refresh import stage_seconds
    from orchestration.stages import StageReporter, stage_logger

    @dg.asset(name="serving__copy")
    def publish():
        return 1

    instance = dg.DagsterInstance.ephemeral()
    reporter = StageReporter(lambda _: None, instance)
    job = dg.Definitions(assets=[publish], jobs=[dg.define_asset_job("j")]).resolve_job_def("j")
    job = job.with_logger_defs({"stages": stage_logger(reporter)})
    assert job.execute_in_process(instance=instance, run_config={"loggers": {"stages": {}}}).success
    reporter.finish()
    seconds = stage_seconds(capsys.readouterr().out)
    assert list(seconds) == ["publishing"] and seconds["publishing"] >= 0


def test_phases_of_a_refresh_with_nothing_new_are_startup_and_wrap_up_only():
    from bench.refresh import phases

    console = ("[refresh 2026-12-07T10:00:01+00:00] lock acquired, refresh started\n"
               "[refresh 2026-12-07T10:00:01.500000+00:00] nothing new: same delivery files, code, settings and day\n")
    started = 1_796_637_600.0  # 2026-12-07T10:00:00Z
    assert phases(console, started, started + 3) == {"startup": 1.0, "setup": 0.0, "run": 0.0, "wrap-up": 2.0}
    with pytest.raises(ValueError, match="lacks the lines that end phases"):
        phases(console.splitlines()[0] + "\n", started, started + 3)
