"""The problems a refresh lists, on a small warehouse built with the loader directly: each names the
file, line, column, offending values, rule and what to do."""
from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pytest

from diagnostics.collect import collect_problems
from diagnostics.dbt_results import dbt_problems, recent_run_results
from diagnostics.problem import Example, Problem, format_problems, problems_markdown
from diagnostics.suites import suite_problems
from expectations.deliveries import validate_new_deliveries
from ingestion.contract import load_contracts
from ingestion.holdback import hold_failing
from ingestion.loader import load_entity
from ingestion.settings import load_settings

ORDERS = load_contracts()["orders"]
DEALS = load_contracts()["deals"]
HEADER = "order_id,customer_id,ordered_at,status,sales_channel,currency,payment_reference,updated_at"


def order(i: int, ordered_at: str = "2025-01-05T10:00:00Z", status: str = "placed") -> str:
    return f"O{i},C1,{ordered_at},{status},web,EUR,,2025-01-06T00:00:00Z"


@pytest.fixture
def warehouse(tmp_path: Path):
    """A landing zone, a warehouse, and settings pointing at them."""
    settings = replace(load_settings(), data_dir=tmp_path, landing_dir=tmp_path / "landing", warehouse=tmp_path / "w.duckdb")
    con = duckdb.connect(str(settings.warehouse))
    yield con, settings
    con.close()


def deliver(settings, name: str, lines: list[str], entity: str = "orders") -> None:
    path = settings.landing_dir / "crm" / entity / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def load_and_validate(con, settings, contract=ORDERS) -> list[Problem]:
    since = datetime.now(timezone.utc)
    results = load_entity(con, contract, settings.landing_dir)
    suite = validate_new_deliveries(con, contract, [r.file_sha256 for r in results if r.status == "loaded"], settings)
    hold_failing(con, results, settings.reject_threshold, suite.failures())  # as the ingestion asset does
    return collect_problems(con, settings, since)


def only(problems: list[Problem], **fields) -> Problem:
    found = [p for p in problems if all(getattr(p, k) == v for k, v in fields.items())]
    assert len(found) == 1, f"{fields}: {found}"
    return found[0]


def test_missing_column_names_the_file_line_and_the_header_to_add(warehouse):
    con, settings = warehouse
    deliver(settings, "no_updated_at.csv", [HEADER.removesuffix(",updated_at"), "O1,C1,2025-01-05T10:00:00Z,placed,web,EUR,"])
    problem = only(load_and_validate(con, settings), where="crm/orders/no_updated_at.csv")
    assert (problem.line, problem.blocking) == (1, False)  # held back: the refresh goes on without it
    assert problem.rule.startswith('held back: required column(s) "updated_at" missing')
    assert problem.todo.startswith("its rows stay out of the marts")
    assert "What releases it: delete the file" in problem.todo and "--retry-held" in problem.todo


def test_missing_column_of_a_vendor_export_names_the_vendor_headers(warehouse):
    con, settings = warehouse
    deliver(settings, "hubspot.csv", ["Record ID,Deal Name,Amount,Create Date,Associated Company ID",
                                      "1,Big deal,100,2025-01-05 10:00,C1"], entity="deals")
    problem = only(load_and_validate(con, settings, DEALS), where="crm/deals/hubspot.csv")
    assert problem.rule == ('held back: required column "stage" missing: add one of the columns '
                            '"Deal Stage" / "Deal-Phase" to the HubSpot export (mapping ingestion/mappings/hubspot_deals.yaml)')


def test_a_file_outside_the_entity_folders_is_named_with_where_it_belongs(warehouse):
    from ingestion.loader import report_outside_files

    con, settings = warehouse
    deliver(settings, "orders.csv", [HEADER, order(1)], entity="unknown")
    since = datetime.now(timezone.utc)
    report_outside_files(con, settings.landing_dir)
    [problem] = collect_problems(con, settings, since)
    assert (problem.where, problem.blocking) == ("crm/unknown/orders.csv", False)
    assert problem.rule.startswith("not loaded (ignored): landing/crm/unknown/ is no entity folder of crm")
    assert "move it to landing/crm/orders/" in problem.rule
    assert collect_problems(con, settings, datetime.now(timezone.utc)) == []  # reported once, as the loader does


def test_bad_values_are_grouped_per_column_and_rule_with_five_values_and_their_lines(warehouse):
    con, settings = warehouse
    bad = ["gestern", "morgen", "bald", "nie", "irgendwann", "später", "gestern"]
    rows = [order(i) for i in range(1, 200)] + [order(200 + i, ordered_at=v) for i, v in enumerate(bad)]
    deliver(settings, "dates.csv", [HEADER, *rows])
    problems = load_and_validate(con, settings)
    problem = only(problems, where="crm/orders/dates.csv", column="ordered_at")
    assert problem.rule.startswith("7 rows quarantined: value is not a timestamp in format")
    assert [(e.value, e.line) for e in problem.examples] == [
        ("gestern", 201), ("morgen", 202), ("bald", 203), ("nie", 204), ("irgendwann", 205)]
    assert problem.line == 201
    assert "correct these values so that each is a timestamp in format" in problem.todo
    # 7 of 206 rows is above the 1 % threshold: the file is held back, and the threshold is named
    threshold = only(problems, where="crm/orders/dates.csv", column=None)
    assert threshold.rule.startswith("held back: 7 of 206 rows quarantined (3.40%)")
    assert "CRM_REJECT_THRESHOLD=0.01" in threshold.rule
    assert not threshold.blocking and not problem.blocking


def test_a_few_bad_rows_under_the_threshold_are_a_warning(warehouse):
    con, settings = warehouse
    deliver(settings, "one_bad.csv", [HEADER, *(order(i) for i in range(1, 200)), order(999, ordered_at="gestern")])
    [problem] = load_and_validate(con, settings)
    assert (problem.blocking, problem.line, problem.examples[0].value) == (False, 201, "gestern")
    assert problem.rule.startswith("1 row quarantined")


def test_a_great_expectations_failure_is_traced_to_its_file_and_lines(warehouse):
    con, settings = warehouse
    deliver(settings, "status.csv", [HEADER, order(1), order(2, status="shipped"), order(3), order(4, status="shipped"),
                                     order(5, status="returned")])
    problems = load_and_validate(con, settings)
    problem = only(problems, where="crm/orders/status.csv", column="status")
    assert only(problems, where="crm/orders/status.csv", column=None).rule == (
        "held back: failed the suite raw.orders: expect_column_values_to_be_in_set(status)")
    assert not problem.blocking  # the file is held back, the refresh goes on
    assert (problem.column, problem.line) == ("status", 3)
    assert [(e.value, e.line) for e in problem.examples] == [("shipped", 3), ("returned", 6)]
    assert problem.rule == "value not allowed: 3 of 5 rows (expect_column_values_to_be_in_set)"
    assert "use one of the allowed values (placed, fulfilled, cancelled)" in problem.todo
    assert "`values:`" in problem.todo
    assert problem.found_by == "Great Expectations suite raw.orders"


def test_old_quarantined_rows_are_not_listed_again_but_a_failed_file_is(warehouse):
    con, settings = warehouse
    deliver(settings, "one_bad.csv", [HEADER, *(order(i) for i in range(1, 200)), order(999, ordered_at="gestern")])
    deliver(settings, "broken.csv", ["order_id", "O1"])
    assert len(load_and_validate(con, settings)) == 2
    [again] = load_and_validate(con, settings)
    assert again.where == "crm/orders/broken.csv"


def test_console_text_and_markdown_show_every_part():
    problem = Problem("crm/orders/x.csv", "value not allowed", "use one of a, b", line=3, column="status",
                      examples=tuple(Example(f"v{i}", i) for i in range(7)), found_by="suite")
    text = "\n".join(format_problems([problem]))
    assert text.startswith("1. [error] crm/orders/x.csv, line 3, column status: value not allowed")
    assert "values: 'v0' (line 0), 'v1' (line 1), 'v2' (line 2), 'v3' (line 3), 'v4' (line 4)\n" in text + "\n"
    assert "what to do: use one of a, b" in text
    assert problems_markdown([problem]).startswith("```\n1. [error]")
    assert problems_markdown([]) == "none"


def test_a_staging_suite_failure_names_the_delivery_file_and_line_of_each_value(warehouse):
    from expectations.runner import validate_relation
    from expectations.suites import declare_suite, expectation

    con, _ = warehouse
    con.execute("CREATE SCHEMA staging; CREATE TABLE staging.stg_x AS SELECT * FROM (VALUES "
                "('a.csv', 2, 'ok'), ('b.csv', 7, NULL), ('a.csv', 9, NULL), ('b.csv', 3, 'ok')) t(_file, _line, v)")
    declare_suite("staging.stg_x", [expectation("expect_column_values_to_not_be_null", column="v")])
    result = validate_relation(con, "staging.stg_x", "SELECT v FROM staging.stg_x")
    [problem] = suite_problems(con, [result])
    assert (problem.where, problem.column, problem.line) == ("staging.stg_x", "v", None)
    assert problem.examples == (Example(None, 9, "a.csv"),)
    assert "(empty) (a.csv, line 9)" in "\n".join(problem.text())


def test_a_failed_dbt_test_names_model_column_failing_rows_and_the_query(warehouse, tmp_path):
    con, _ = warehouse
    con.execute("CREATE SCHEMA marts; CREATE TABLE marts.fct AS SELECT * FROM (VALUES ('k1'), ('k1'), ('k2')) t(k)")
    target = tmp_path / "dbt_target" / "dbt_models"
    target.mkdir(parents=True)
    uid = "test.crm_success.unique_fct_k.abc"
    compiled = "select k as unique_field, count(*) as n_records from marts.fct group by k having count(*) > 1"
    (target / "run_results.json").write_text(json.dumps({"results": [
        {"unique_id": uid, "status": "fail", "failures": 1, "message": "Got 1 result", "compiled_code": compiled},
        {"unique_id": "model.crm_success.fct", "status": "success"}]}))
    (target / "manifest.json").write_text(json.dumps({"nodes": {
        uid: {"name": "unique_fct_k", "attached_node": "model.crm_success.fct", "column_name": "k",
              "package_name": "crm_success", "original_file_path": "models/marts/_marts.yml", "path": "unique_fct_k.sql",
              "test_metadata": {"name": "unique", "kwargs": {"column_name": "k"}}},
        "model.crm_success.fct": {"schema": "marts", "name": "fct"}}}))
    [problem] = dbt_problems(con, recent_run_results(tmp_path / "dbt_target", None))
    assert (problem.where, problem.column, problem.blocking) == ("marts.fct", "k", True)
    assert problem.rule == "dbt test unique_fct_k failed: 1 failing rows"
    assert problem.examples == (Example("k1"),)
    assert "marts.fct.k repeats values that must be unique" in problem.todo
    assert str(target / "compiled" / "crm_success" / "models/marts/_marts.yml" / "unique_fct_k.sql") in problem.todo


def test_a_file_whose_rows_do_not_add_up_is_named(warehouse):
    con, settings = warehouse
    deliver(settings, "fine.csv", [HEADER, order(1), order(2)])
    assert load_and_validate(con, settings) == []
    con.execute("UPDATE raw._loads SET rows_read = 3")
    [problem] = collect_problems(con, settings, None)
    assert (problem.where, problem.rule) == ("crm/orders/fine.csv", "rows do not add up: read 3, loaded 2, quarantined 0, skipped 0")


def test_an_unknown_vendor_value_names_the_mapping_entry_to_add(warehouse):
    con, settings = warehouse
    deliver(settings, "hubspot.csv", ["Record ID,Email,Lifecycle Stage,Create Date,Last Modified Date",
                                      "1,a@example.com,Customer,2025-01-05 10:00,2025-01-06 10:00",
                                      "2,b@example.com,Evangelist,2025-01-05 10:00,2025-01-06 10:00"], entity="contacts")
    problem = only(load_and_validate(con, settings, load_contracts()["contacts"]), where="crm/contacts/hubspot.csv",
                   column="lifecycle_stage")
    assert (problem.column, problem.line, problem.examples) == ("lifecycle_stage", 3, (Example("Evangelist", 3),))
    assert "translate each in ingestion/mappings/hubspot_contacts.yaml under `values: lifecycle_stage:`" in problem.todo
    assert "(lead, mql, sql, opportunity, customer)" in problem.todo


def test_a_model_dbt_could_not_build_names_its_error_and_file(warehouse, tmp_path):
    con, _ = warehouse
    target = tmp_path / "dbt_target" / "dbt_models"
    target.mkdir(parents=True)
    uid = "model.crm_success.stg_x"
    (target / "run_results.json").write_text(json.dumps({"results": [
        {"unique_id": uid, "status": "error", "message": "Binder Error: column \"amount\" not found"}]}))
    (target / "manifest.json").write_text(json.dumps({"nodes": {
        uid: {"schema": "staging", "name": "stg_x", "original_file_path": "models/staging/stg_x.sql"}}}))
    [problem] = dbt_problems(con, recent_run_results(tmp_path / "dbt_target", None))
    assert (problem.where, problem.blocking) == ("staging.stg_x", True)
    assert problem.rule == 'dbt could not build it: Binder Error: column "amount" not found'
    assert "dbt_project/models/staging/stg_x.sql" in problem.todo


def test_a_failed_warning_names_the_measure_and_the_columns_and_does_not_block(warehouse):
    from expectations.outcomes import SuiteResult
    from expectations.profile import validate_profile

    con, _ = warehouse
    con.execute("CREATE SCHEMA marts; CREATE TABLE marts.m AS SELECT range AS n, 'x' AS s FROM range(10)")
    assert validate_profile(con, "marts.m", ["n", "s"], None, "first") == []  # no history yet: nothing to compare
    con.execute("UPDATE marts.m SET s = NULL")
    outcomes = validate_profile(con, "marts.m", ["n", "s"], None, "second")
    result = SuiteResult("marts.m", False, len(outcomes), sum(not o.success for o in outcomes), 10, tuple(outcomes))
    [problem] = suite_problems(con, [result])
    assert not result.blocking and not problem.blocking
    assert problem.heading() == "marts.m: missing share rise outside its recent range"
    assert "rises by at most 25%" in problem.todo and "found s:" in problem.todo
    assert format_problems([problem])[0] == "1. [warning] marts.m: missing share rise outside its recent range"
