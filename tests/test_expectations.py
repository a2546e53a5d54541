"""Great Expectations suites on hand-made raw deliveries: what passes, what fails and by how much.

One in-memory DuckDB with the raw schema is shared by the module (the GX context is created
once per process anyway); each test uses its own file hash, so deliveries never mix.
"""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import duckdb
import pandas as pd
import pytest

from expectations.deliveries import validate_new_deliveries
import expectations.runner as runner
from expectations.context import validate_frame
from expectations.docs import build_data_docs
from expectations.per_file import FileSplitter
from expectations.rules import RANGE_RULES
from expectations.runner import delivery_query, validate_deliveries, validate_delivery, validate_relation
from expectations.suites import declare_suite, expectation, get_suite, raw_expectation_configs
from ingestion.contract import create_raw_schema, load_contracts
from ingestion.settings import load_settings

ORDERS = load_contracts()["orders"]
ORDER_LINES = load_contracts()["order_lines"]


@pytest.fixture(scope="module")
def con():
    connection = duckdb.connect()
    create_raw_schema(connection)
    yield connection
    connection.close()


def add_orders(con, sha: str, rows: list[tuple]) -> None:
    """rows: (order_id, status, sales_channel)."""
    con.executemany(
        "INSERT INTO raw.orders (order_id, customer_id, ordered_at, status, sales_channel, currency, updated_at,"
        " _file, _line, _file_sha256, _loaded_at)"
        " VALUES (?, 'C1', TIMESTAMP '2025-03-01 09:00', ?, ?, 'EUR', TIMESTAMP '2025-03-01 10:00', 'f.csv', 2, ?, now())",
        [(order_id, status, channel, sha) for order_id, status, channel in rows],
    )


def add_order_lines(con, sha: str, rows: list[tuple]) -> None:
    """rows: (order_id, line_number, quantity, net_unit_price)."""
    con.executemany(
        "INSERT INTO raw.order_lines (order_id, line_number, product_id, quantity, net_unit_price, updated_at,"
        " _file, _line, _file_sha256, _loaded_at)"
        " VALUES (?, ?, 'P1', ?, ?, TIMESTAMP '2025-03-01 10:00', 'l.csv', 2, ?, now())",
        [(*row, sha) for row in rows],
    )


def failures(result) -> dict[tuple[str, str], int]:
    return {(o.expectation, o.column): o.unexpected_count for o in result.outcomes if not o.success}


CLEAN_ORDERS = [("O1", "placed", "web"), ("O2", "fulfilled", None), ("O3", "cancelled", "partner")]
BAD_ORDERS = [("O4", "placed", "web"), (None, "placed", "sales"), ("O6", "shipped", "web"),
              ("O7", "fulfilled", "fax"), ("O8", "shipped", "phone")]


def test_clean_delivery_passes(con):
    add_orders(con, "clean", CLEAN_ORDERS)
    result = validate_delivery(con, ORDERS, "clean")
    assert result.success, result.summary()
    assert (result.element_count, result.failed) == (3, 0)
    assert result.evaluated == len(raw_expectation_configs(ORDERS)) == len(result.outcomes)
    assert all(o.element_count == 3 and o.unexpected_count == 0 for o in result.outcomes)


def test_bad_orders_fail_on_the_exact_expectations(con):
    add_orders(con, "bad", BAD_ORDERS)
    result = validate_delivery(con, ORDERS, "bad")
    assert not result.success
    assert failures(result) == {
        ("expect_column_values_to_not_be_null", "order_id"): 1,
        ("expect_column_values_to_be_in_set", "status"): 2,
        ("expect_column_values_to_be_in_set", "sales_channel"): 1,
    }
    assert result.failed == 3 and result.element_count == 5
    status = next(o for o in result.failures if o.column == "status")
    assert status.sample == ("shipped",)


def test_negative_quantity_fails_the_range_rule(con):
    add_order_lines(con, "lines", [("O1", 1, 2, 9.99), ("O1", 2, -1, 5.0), ("O2", 1, 1, 0.0)])
    result = validate_delivery(con, ORDER_LINES, "lines")
    assert failures(result) == {("expect_column_values_to_be_between", "quantity"): 1}
    assert next(o for o in result.failures).sample == (-1,)


def test_only_the_given_files_rows_are_validated(con):
    add_orders(con, "mixed-good", CLEAN_ORDERS)
    add_orders(con, "mixed-bad", BAD_ORDERS)
    good = validate_delivery(con, ORDERS, "mixed-good")
    assert good.success and good.element_count == 3
    assert validate_delivery(con, ORDERS, "mixed-bad").element_count == 5


def counts(result) -> list[tuple]:
    return [(o.expectation, o.column, o.success, o.unexpected_count, o.element_count) for o in result.outcomes]


def test_chunks_add_up_to_one_chunk(con):
    add_orders(con, "chunked", BAD_ORDERS * 3)
    whole = validate_delivery(con, ORDERS, "chunked")
    chunked = validate_delivery(con, ORDERS, "chunked", chunk_rows=2)
    assert counts(chunked) == counts(whole)
    assert (chunked.success, chunked.failed, chunked.element_count) == (False, 3, 15)
    assert failures(chunked)[("expect_column_values_to_be_in_set", "status")] == 6


@pytest.mark.parametrize("screen", [True, False])
@pytest.mark.parametrize("chunk_rows", [4, 1000])
def test_one_pass_over_many_files_gives_each_file_its_own_result(con, chunk_rows, screen):
    """Chunks of 4 mix files and cut through them; 1000 holds every file in one chunk. Screened,
    GX sees the first 4 rows and the flagged ones, each file's result is still exact."""
    deliveries = {"many-1": CLEAN_ORDERS, "many-2": BAD_ORDERS, "many-3": CLEAN_ORDERS * 2, "many-4": BAD_ORDERS[2:]}
    for sha, rows in deliveries.items():
        if not con.execute("SELECT count(*) FROM raw.orders WHERE _file_sha256 = ?", [sha]).fetchall()[0][0]:
            add_orders(con, sha, rows)
    shas = [*deliveries, "many-missing"]
    together = validate_deliveries(con, ORDERS, shas, chunk_rows=chunk_rows, sample_rows=chunk_rows, screen=screen)
    one_by_one = [validate_delivery(con, ORDERS, sha) for sha in shas]
    assert [(r.scope, r.success, r.element_count, r.outcomes) for r in together] == \
           [(r.scope, r.success, r.element_count, r.outcomes) for r in one_by_one]
    assert [r.success for r in together] == [True, False, True, False, True]


def test_clean_files_of_one_chunk_cost_one_gx_run(con, monkeypatch):
    for sha in ("cheap-1", "cheap-2", "cheap-3"):
        add_orders(con, sha, CLEAN_ORDERS)
    runs = []
    monkeypatch.setattr(runner, "validate_frame", lambda frame, suite: runs.append(len(frame)) or validate_frame(frame, suite))
    results = validate_deliveries(con, ORDERS, ["cheap-1", "cheap-2", "cheap-3"])
    assert runs == [9] and all(r.success and r.element_count == 3 for r in results)


def test_a_file_failing_under_mostly_is_named_although_the_chunk_passes():
    suite = declare_suite("test.mostly", [expectation("expect_column_values_to_not_be_null", column="x", mostly=0.5)])
    frame = pd.DataFrame({"x": [1, 2, 3, None] + [None, None, None, 4]})
    files = pd.Series(["a"] * 4 + ["b"] * 4)
    chunk = validate_frame(frame, suite)
    assert chunk.success  # 4 of 8 rows are null: exactly the tolerated half
    splitter = FileSplitter(suite, ["a", "b"], validate_frame)
    splitter.add(frame, files, chunk)
    a, b = (splitter.mergers[f].result("test.mostly", run_id="") for f in ("a", "b"))
    assert a.success and not b.success
    assert (a.outcomes[0].unexpected_count, b.outcomes[0].unexpected_count) == (1, 3)


def test_empty_delivery_validates_nothing(con):
    result = validate_delivery(con, ORDERS, "no-such-file")
    assert result.success and (result.element_count, result.evaluated, result.outcomes) == (0, 0, ())
    assert con.execute("SELECT 1").fetchall() == [(1,)]  # the streamed result was released


def test_declared_suite_runs_on_any_query(con):
    declare_suite("marts.test_amounts", [
        expectation("expect_column_values_to_be_between", column="amount", min_value=0),
        expectation("expect_column_values_to_not_be_null", column="missing_column"),
    ])
    result = validate_relation(con, "marts.test_amounts", "SELECT * FROM (VALUES (1.5), (-2.0), (NULL)) t(amount)")
    by_column = {o.column: o for o in result.outcomes}
    assert by_column["amount"].unexpected_count == 1 and not by_column["amount"].success
    assert not by_column["missing_column"].success and by_column["missing_column"].error
    with pytest.raises(KeyError):
        get_suite("marts.never_declared")


def test_every_contract_builds_a_suite_and_rules_target_numeric_columns():
    contracts = load_contracts()
    for contract in contracts.values():
        assert get_suite(contract.table).expectations
    for rule in (r for r in RANGE_RULES if r.table in contracts):  # the others are staging and mart rules
        assert contracts[rule.table].column(rule.column).type in ("integer", "decimal")
    ranges = [(c["kwargs"]["column"], c["kwargs"]["min_value"], c["kwargs"]["max_value"])
              for c in raw_expectation_configs(contracts["survey_responses"])
              if c["type"] == "expect_column_values_to_be_between"]
    assert ranges == [("score", 0, 10)]


class RemoteRefs(HTMLParser):
    """Collects every script, stylesheet, image or font reference that points off the machine."""

    def __init__(self):
        super().__init__()
        self.remote: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        for name, value in attrs:
            if name in ("src", "href") and value and re.match(r"\s*(https?:)?//", value):
                self.remote.append(f"<{tag} {name}={value}>")

    def handle_data(self, data):
        self.remote += re.findall(r"(?:@import|url\()\s*['\"]?\s*(?:https?:)?//[^\s'\")]+", data)


def test_results_json_and_offline_data_docs(con, tmp_path):
    add_orders(con, "docs", BAD_ORDERS)
    results_dir, site_dir = tmp_path / "validations", tmp_path / "data_docs"
    result = validate_delivery(con, ORDERS, "docs", results_dir=results_dir, docs_dir=site_dir)
    [stored] = (results_dir / "raw.orders").glob("*.json")
    assert json.loads(stored.read_text())["outcomes"] == result.to_dict()["outcomes"]

    html = (site_dir / "index.html").read_text()
    assert "raw.orders" in html and "FAILED" in html and "expect_column_values_to_be_in_set" in html
    parser = RemoteRefs()
    parser.feed(html)
    assert parser.remote == [] and "script" not in parser.tags
    assert "http://" not in html and "https://" not in html


def test_data_docs_show_a_failed_warning_as_a_warning():
    from expectations.docs import render
    from expectations.outcomes import ExpectationOutcome, SuiteResult

    warned = ExpectationOutcome("expect_column_values_to_be_between", "row_count", False, 1, 1, (3,), severity="warning")
    result = SuiteResult("marts.m", False, 1, 1, 0, (warned,), run_id="r1")
    html = render({"marts.m": [result]})
    assert '<span class="warn">warning</span>' in html and "FAILED" not in html


def test_remote_reference_check_can_fail():
    parser = RemoteRefs()
    parser.feed('<link rel="stylesheet" href="https://cdn.example/x.css"><style>@import url(//cdn.example/y.css)</style>')
    assert len(parser.remote) == 2


def test_new_deliveries_summary_for_asset_checks(con, tmp_path, monkeypatch):
    monkeypatch.setenv("CRM_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("CRM_LANDING_DIR", raising=False)  # both derive from the data folder
    monkeypatch.delenv("CRM_WAREHOUSE", raising=False)
    settings = load_settings()
    add_orders(con, "new-1", CLEAN_ORDERS)
    add_orders(con, "new-2", BAD_ORDERS)
    summary = validate_new_deliveries(con, ORDERS, ["new-1", "new-2"], settings)
    meta = summary.metadata()
    assert not summary.success
    assert (meta["files_validated"], meta["rows_validated"], meta["expectations_failed"]) == (2, 8, 3)
    assert meta["failures"].startswith("f.csv (sha256 new-2)") and "new-1" not in meta["failures"]
    assert summary.docs_index == settings.data_docs_dir / "index.html" and summary.docs_index.exists()
    assert validate_new_deliveries(con, ORDERS, [], settings).success
    assert build_data_docs(tmp_path / "nothing", tmp_path / "empty_docs").read_text().count("No validation results") == 1
    assert delivery_query(ORDERS).endswith("WHERE _file_sha256 = ?")


def test_stored_results_name_each_file_and_failures_are_newest(con, tmp_path, monkeypatch):
    """One result per file, the failed one written last: the Data Docs show it as the suite's latest run."""
    monkeypatch.setenv("CRM_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("CRM_LANDING_DIR", raising=False)
    monkeypatch.delenv("CRM_WAREHOUSE", raising=False)
    settings = load_settings()
    add_orders(con, "stored-bad", BAD_ORDERS)
    add_orders(con, "stored-good", CLEAN_ORDERS)
    summary = validate_new_deliveries(con, ORDERS, ["stored-bad", "stored-good"], settings)
    stored = sorted((settings.validations_dir / "raw.orders").glob("*.json"))
    scopes = [json.loads(p.read_text())["scope"] for p in stored]
    assert scopes == ["f.csv (sha256 stored-good)", "f.csv (sha256 stored-bad)"]
    assert [r.scope for r in summary.results] == ["f.csv (sha256 stored-bad)", "f.csv (sha256 stored-good)"]
    html = summary.docs_index.read_text()
    assert "f.csv (sha256 stored-bad)" in html and "FAILED" in html


def test_a_range_limited_to_some_rows_checks_only_those(con):
    """CSAT answers are 1-5 in staging; an NPS answer of 9 is no CSAT violation (rules.RangeRule.where)."""
    from expectations.rules import rules_for

    con.execute("CREATE TABLE answers AS SELECT * FROM (VALUES ('csat', 3), ('nps', 9), ('csat', 7), ('csat', NULL)) t(survey_type, score)")
    declare_suite("test.answers", [rule.config() for rule in rules_for("stg_crm__survey_responses")])
    for screen in (True, False):
        result = validate_relation(con, "test.answers", "SELECT * FROM answers", screen=screen)
        [outcome] = result.outcomes
        assert (outcome.success, outcome.unexpected_count, outcome.element_count, outcome.sample) == (False, 1, 3, (7,))
