"""The headless refresh as a user sees it: a few lines per stage, the problems with file, line,
value, rule and what to do, and a last line that tells the truth; dbt's output is in the log file."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from tests.helpers import seed_settings_parse, settings_for

BAD_ORDERS = (
    "order_id,customer_id,ordered_at,status,sales_channel,currency,payment_reference,updated_at\n"
    "X1,C1,2025-01-05T10:00:00Z,shipped,web,EUR,,2025-01-06T00:00:00Z\n"
    "X2,C1,gestern,placed,web,EUR,,2025-01-06T00:00:00Z\n"
)
STAMP = re.compile(r"^\[refresh \S+\] ")


NO_STAGE_DEALS = "Record ID,Deal Name,Amount,Create Date,Associated Company ID\n1,Big deal,100,2025-01-05 10:00,C1\n"
BAD_FILES = {"crm/orders/zz_bad.csv": BAD_ORDERS,  # over the reject threshold, and a status the raw suite rejects
             "crm/deals/hubspot_no_stage.csv": NO_STAGE_DEALS,  # a HubSpot export missing a column
             "finance/fx_rates/empty.csv": ""}  # 0 bytes


@pytest.fixture
def data_dir(dbt_manifest, tmp_path: Path, monkeypatch) -> Path:
    """Two months of the tiny sample, and beside its good files three bad ones."""
    from ingestion.generate import generate

    for name, value in {"CRM_DATA_DIR": tmp_path, "CRM_LANDING_DIR": tmp_path / "landing",
                        "CRM_WAREHOUSE": tmp_path / "warehouse.duckdb", "DAGSTER_HOME": tmp_path / "dagster_home",
                        "CRM_HISTORY_START": "2025-01-01"}.items():
        monkeypatch.setenv(name, str(value))
    generate(tmp_path / "landing", seed=7, size="tiny", start=date(2025, 1, 1), end=date(2025, 2, 28))
    for name, text in BAD_FILES.items():
        (tmp_path / "landing" / name).write_text(text, encoding="utf-8")
    seed_settings_parse(settings_for(tmp_path))
    return tmp_path


def served(data_dir: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(data_dir / "serving" / "serving.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.mark.slow  # two whole refreshes
def test_bad_files_are_held_back_the_rest_publishes_and_deleting_them_clears_the_state(data_dir, capfd):
    """One refresh with three bad files: the good files' rows reach the marts, the bad ones are
    listed (console, data_status, report) and the exit code is 2; after deleting them, a clean 0."""
    from orchestration.refresh import main

    assert main(["--days", "2025-01-01:2025-02-28"]) == 2
    out, err = capfd.readouterr()
    progress = [STAMP.sub("", line) for line in err.splitlines()]
    stages = [line for line in progress if re.match(r"(ingestion \w+|dbt build|validation|publishing|report):", line)]
    assert sum(line.startswith("ingestion ") for line in stages) == 4, err  # one per source
    assert len(stages) <= 8, stages
    assert re.search(r"^ingestion crm: \d+ entities, \d+ new file\(s\), [\d,]+ rows loaded, 1 quarantined", "\n".join(stages), re.M)
    assert not [line for line in stages if "a blocking check failed" in line or "not run" in line]
    assert len(progress) <= len(stages) + 5, progress

    console = out + err
    assert "[warning] crm/orders/zz_bad.csv: held back: 1 of 2 rows quarantined (50.00%), more than the threshold" in out
    assert "failed the suite raw.orders: expect_column_values_to_be_in_set(status)" in out
    assert "crm/orders/zz_bad.csv, line 2, column status: value not allowed" in out
    assert "values: 'shipped' (line 2)" in out
    assert "crm/orders/zz_bad.csv, line 3, column ordered_at: 1 row quarantined: value is not a timestamp" in out
    assert 'crm/deals/hubspot_no_stage.csv, line 1: held back: required column "stage" missing' in out
    assert "finance/fx_rates/empty.csv, line 1: held back: empty file" in out
    assert "What releases it: delete the file, save a corrected file under its name" in out
    assert "[error]" not in out
    for dbt_line in ("Running with dbt=", "START seed file", "Completed successfully", "Finished running"):
        assert dbt_line not in console
    assert re.fullmatch(r"Refresh finished with problems: published \d+ marts, 3 file\(s\) held back, 5 problem\(s\) above",
                        out.rstrip().splitlines()[-1])

    [log_file] = (data_dir / "logs").glob("refresh-*.log")
    assert f"dbt and Dagster output: {log_file}" in err
    logged = log_file.read_text(encoding="utf-8")
    assert "Running with dbt=" in logged and "START seed file" in logged
    assert "dagster - INFO - full_refresh" in logged

    # The same problems are on the (passing) check in Dagster.
    instance = dg.DagsterInstance.get()
    [run] = instance.get_runs()
    checks = [e.dagster_event.event_specific_data for e in instance.all_logs(run.run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION)]
    [suite] = [c for c in checks if c.asset_key == dg.AssetKey(["raw", "orders"]) and c.check_name == "expectations_suite"]
    assert suite.passed and "crm/orders/zz_bad.csv, line 2, column status: value not allowed" in suite.metadata["problems"].value

    # BI users see it: data_status in the serving copy, a notice per file in the report.
    status = {entity: (state, held) for entity, state, held in served(
        data_dir, "SELECT entity, status, held_back FROM marts.data_status WHERE status = 'held_back'")}
    assert sorted(status) == ["deals", "fx_rates", "orders"]
    assert status["orders"][1].startswith("crm/orders/zz_bad.csv: 1 of 2 rows quarantined")
    [(last_good, rows, hours)] = served(data_dir, "SELECT last_good_file, staging_rows, hours_since_last_good "
                                                  "FROM marts.data_status WHERE entity = 'orders'")
    assert last_good.startswith("crm/orders/") and last_good != "crm/orders/zz_bad.csv" and rows > 0 and 0 <= hours < 1
    # The good files' orders are in the marts, the held file's valid row X1 is not.
    assert served(data_dir, "SELECT count(*) > 0, count(*) FILTER (order_id = 'X1') FROM marts.fct_orders") == [(True, 0)]
    report = (data_dir / "reports" / "kpi_report.html").read_text(encoding="utf-8")
    assert '<section id="held-back">' in report
    assert all(f"{name}: " in report for name in BAD_FILES)

    for name in BAD_FILES:
        (data_dir / "landing" / name).unlink()
    assert main(["--days", "2025-02-28:2025-02-28"]) == 0
    out, _ = capfd.readouterr()
    assert re.fullmatch(r"Refresh succeeded: published \d+ marts", out.rstrip().splitlines()[-1])
    assert served(data_dir, "SELECT count(*) FROM marts.data_status WHERE status = 'held_back' OR files_held_back > 0") == [(0,)]
    assert 'id="held-back"' not in (data_dir / "reports" / "kpi_report.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(("success", "published", "problems", "held", "last_line"), [
    (True, ["marts.a", "marts.b"], 0, 0, "Refresh succeeded: published 2 marts"),
    (True, ["marts.a"], 1, 0, "Refresh finished with problems: published 1 marts, 1 problem(s) above"),
    (True, ["marts.a"], 2, 2, "Refresh finished with problems: published 1 marts, 2 file(s) held back, 2 problem(s) above"),
    (False, [], 2, 0, "Refresh failed: nothing published, 2 problem(s) above; BI tools keep the last published copy"),
    (False, ["marts.a"], 0, 0, "Refresh failed: published 1 marts, see refresh.log"),
])
def test_the_last_line_says_what_was_published_and_how_the_refresh_ended(success, published, problems, held, last_line):
    from diagnostics.problem import Problem
    from orchestration.console import outcome

    found = [Problem("f.csv", "rule", "todo", blocking=False)] * problems
    assert outcome(success, published, found, Path("refresh.log"), held) == last_line
