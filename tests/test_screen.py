"""The SQL screen in front of GX: the same verdicts as GX on every row, at a fraction of the cost."""
from __future__ import annotations

import duckdb
import pytest

import expectations.screen as screen
from expectations.runner import validate_relation
from expectations.suites import declare_suite, expectation

ROWS = 300
SAMPLE = 100  # sample_rows and chunk_rows: GX sees rows 0..99 and the flagged rows after them

SUITE = [
    expectation("expect_column_values_to_not_be_null", column="id"),
    expectation("expect_column_values_to_be_in_set", column="status", value_set=["open", "won", "it's"]),
    expectation("expect_column_values_to_be_between", column="amount", min_value=0, max_value=100),
    expectation("expect_column_values_to_be_between", column="quantity", min_value=0, strict_min=True),
    expectation("expect_column_values_to_be_between", column="booked_on", min_value="2000-01-01", max_value="2030-12-31"),
    expectation("expect_column_values_to_be_between", column="booked_at", min_value="2000-01-01T00:00:00",
                max_value="2030-12-31T00:00:00"),
]


@pytest.fixture
def con():
    connection = duckdb.connect()
    connection.execute(f"""CREATE TABLE t AS SELECT 'R' || i AS id, CASE WHEN i % 2 = 0 THEN 'open' ELSE 'it''s' END AS status,
        (i % 100)::DECIMAL(18, 2) AS amount, 1 + i % 7 AS quantity, DATE '2025-01-01' + i::INTEGER AS booked_on,
        TIMESTAMP '2025-01-01 08:00:00' + INTERVAL (i) HOUR AS booked_at FROM range({ROWS}) r(i)""")
    yield connection
    connection.close()


def _failures(con, sample_rows: int = SAMPLE, **kw) -> dict[tuple[str, str], int]:
    declare_suite("test.screened", SUITE)
    result = validate_relation(con, "test.screened", "SELECT * FROM t", chunk_rows=SAMPLE, sample_rows=sample_rows, **kw)
    assert result.element_count == ROWS and all(o.element_count == ROWS for o in result.outcomes)
    return {(o.expectation.removeprefix("expect_column_values_to_"), o.column): o.unexpected_count
            for o in result.outcomes if not o.success}


def _plant(con) -> None:
    """Bad values on boundaries, in rows far beyond the sample, and NULLs where only not-null counts."""
    con.execute("""UPDATE t SET id = NULL, status = NULL, amount = NULL WHERE id = 'R250';
        UPDATE t SET status = 'lost', amount = 100.01, quantity = 0 WHERE id = 'R251';
        UPDATE t SET amount = 100, quantity = 1, booked_on = DATE '1999-12-31', booked_at = TIMESTAMP '2031-01-01 00:00:00'
            WHERE id = 'R252';
        UPDATE t SET amount = -0.01, booked_at = TIMESTAMP '1999-12-31 23:59:59' WHERE id = 'R3'""")


def test_screened_and_full_validation_find_the_same_failures(con):
    _plant(con)
    expected = {("not_be_null", "id"): 1, ("be_in_set", "status"): 1, ("be_between", "amount"): 2,
                ("be_between", "quantity"): 1, ("be_between", "booked_on"): 1, ("be_between", "booked_at"): 2}
    assert _failures(con) == expected
    assert _failures(con, screen=True) == expected


@pytest.mark.parametrize(("sample_rows", "gx_rows"), [(SAMPLE, SAMPLE + 3), (10, 10 + 3)])
def test_gx_sees_only_the_sample_and_the_flagged_rows(con, monkeypatch, sample_rows, gx_rows):
    _plant(con)
    seen = []
    original = screen.build_screen

    def spy(*args, **kwargs):
        groups, query = original(*args, **kwargs)
        seen.append(args[0].execute(f"SELECT count(*) FROM ({query})").fetchall()[0][0])
        return groups, query

    monkeypatch.setattr("expectations.runner.build_screen", spy)
    _failures(con, screen=True, sample_rows=sample_rows)
    assert seen == [gx_rows]  # R3 is in the sample; R250, R251, R252 are flagged beyond it


def test_a_translation_that_disagrees_with_gx_fails_its_expectation(con, monkeypatch):
    """A screen blind to one expectation would let bad rows pass unseen; GX's count on the sample
    differs from the screen's, so the expectation fails instead."""
    con.execute("UPDATE t SET amount = 500 WHERE id IN ('R5', 'R250')")
    original = screen.violation_sql
    monkeypatch.setattr(screen, "violation_sql",
                        lambda config: "false" if config["kwargs"]["column"] == "amount" else original(config))
    declare_suite("test.screened", SUITE)
    result = validate_relation(con, "test.screened", "SELECT * FROM t", chunk_rows=SAMPLE, sample_rows=SAMPLE, screen=True)
    [failed] = result.failures
    assert failed.column == "amount" and "the SQL screen counted 0 rows breaking it, Great Expectations 1" in failed.error


def test_expectations_without_a_translation_are_validated_in_full(con, monkeypatch):
    """`mostly` changes what an expectation means; such a suite is not screened."""
    calls = []
    monkeypatch.setattr("expectations.runner.build_screen", lambda *a, **k: calls.append(1))
    declare_suite("test.mostly", [expectation("expect_column_values_to_not_be_null", column="id", mostly=0.9)])
    result = validate_relation(con, "test.mostly", "SELECT * FROM t", chunk_rows=SAMPLE, sample_rows=SAMPLE, screen=True)
    assert result.success and result.element_count == ROWS and calls == []
