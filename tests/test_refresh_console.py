"""The headless refresh as a user sees it: a few lines per stage, the problems with file, line,
value, rule and what to do, and a last line that tells the truth; dbt's output is in the log file."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import dagster as dg
import pytest

BAD_ORDERS = (
    "order_id,customer_id,ordered_at,status,sales_channel,currency,payment_reference,updated_at\n"
    "X1,C1,2025-01-05T10:00:00Z,shipped,web,EUR,,2025-01-06T00:00:00Z\n"
    "X2,C1,gestern,placed,web,EUR,,2025-01-06T00:00:00Z\n"
)
STAMP = re.compile(r"^\[refresh \S+\] ")


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch) -> Path:
    from ingestion.generate import generate

    for name, value in {"CRM_DATA_DIR": tmp_path, "CRM_LANDING_DIR": tmp_path / "landing",
                        "CRM_WAREHOUSE": tmp_path / "warehouse.duckdb", "DAGSTER_HOME": tmp_path / "dagster_home",
                        "CRM_HISTORY_START": "2025-01-01"}.items():
        monkeypatch.setenv(name, str(value))
    generate(tmp_path / "landing", seed=7, size="tiny", start=date(2025, 1, 1), end=date(2025, 2, 28))
    (tmp_path / "landing" / "crm" / "orders" / "zz_bad.csv").write_text(BAD_ORDERS, encoding="utf-8")
    return tmp_path


def test_a_failed_refresh_says_per_stage_what_happened_what_to_fix_and_that_it_failed(data_dir, capfd):
    from orchestration.refresh import main

    assert main(["--days", "2025-01-01:2025-02-28"]) == 1
    out, err = capfd.readouterr()
    progress = [STAMP.sub("", line) for line in err.splitlines()]
    stages = [line for line in progress if re.match(r"(ingestion \w+|dbt build|validation|publishing|report):", line)]
    assert sum(line.startswith("ingestion ") for line in stages) == 4, err  # one per source
    assert len(stages) <= 8, stages
    assert re.search(r"^ingestion crm: \d+ entities, \d+ new file\(s\), [\d,]+ rows loaded, 1 quarantined", "\n".join(stages), re.M)
    assert "raw__orders (a blocking check failed)" in "\n".join(stages)
    assert "publishing: not run, a blocking check upstream failed" in stages
    assert len(progress) <= len(stages) + 5, progress

    console = out + err
    assert "crm/orders/zz_bad.csv, line 2, column status: value not allowed" in out
    assert "values: 'shipped' (line 2)" in out
    assert "what to do: use one of the allowed values (placed, fulfilled, cancelled)" in out
    assert "crm/orders/zz_bad.csv, line 3, column ordered_at: 1 row quarantined: value is not a timestamp" in out
    assert "values: 'gestern' (line 3)" in out
    assert "1 of 2 rows quarantined (50.00%), more than the threshold CRM_REJECT_THRESHOLD" in out
    for dbt_line in ("Running with dbt=", "START seed file", "Completed successfully", "Finished running"):
        assert dbt_line not in console
    assert out.rstrip().splitlines()[-1] == (
        "Refresh failed: nothing published, 3 problem(s) above; BI tools keep the last published copy")

    [log_file] = (data_dir / "logs").glob("refresh-*.log")
    assert f"dbt and Dagster output: {log_file}" in err
    logged = log_file.read_text(encoding="utf-8")
    assert "Running with dbt=" in logged and "START seed file" in logged
    assert "dagster - INFO - full_refresh" in logged

    # The same problems are on the failed check in Dagster.
    instance = dg.DagsterInstance.get()
    [run] = instance.get_runs()
    checks = [e.dagster_event.event_specific_data for e in instance.all_logs(run.run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION)]
    [suite] = [c for c in checks if c.asset_key == dg.AssetKey(["raw", "orders"]) and c.check_name == "expectations_suite"]
    assert "crm/orders/zz_bad.csv, line 2, column status: value not allowed" in suite.metadata["problems"].value


@pytest.mark.parametrize(("success", "published", "problems", "last_line"), [
    (True, ["marts.a", "marts.b"], 0, "Refresh succeeded: published 2 marts"),
    (True, ["marts.a"], 1, "Refresh finished with problems: published 1 marts, 1 problem(s) above"),
    (False, [], 2, "Refresh failed: nothing published, 2 problem(s) above; BI tools keep the last published copy"),
    (False, ["marts.a"], 0, "Refresh failed: published 1 marts, see refresh.log"),
])
def test_the_last_line_says_what_was_published_and_how_the_refresh_ended(success, published, problems, last_line):
    from diagnostics.problem import Problem
    from orchestration.console import outcome

    found = [Problem("f.csv", "rule", "todo", blocking=False)] * problems
    assert outcome(success, published, found, Path("refresh.log")) == last_line
