"""Checks GX cannot run chunk by chunk, as SQL, reported as outcomes beside the GX ones.

Column types are a property of the relation, not of its rows; a missing month or a total that
does not reconcile needs the whole table. DuckDB answers each with one query (a `DESCRIBE` reads
no rows at all), and each answer becomes an `ExpectationOutcome` named `sql:<check>`, so the
stored result, the Data Docs and the asset check metadata show them like any expectation.
"""
from __future__ import annotations

from .outcomes import ExpectationOutcome
from .reconcile import Reconciliation

SAMPLE = 5
# Columns whose rows form a calendar: at most one row per period, and no period may be missing.
GRAIN_COLUMNS = {"month_start": "month", "day": "day"}


def _outcome(check: str, column: str | None, problems: list, checked: int) -> ExpectationOutcome:
    return ExpectationOutcome(f"sql:{check}", column, not problems, len(problems), checked,
                              tuple(str(p) for p in problems[:SAMPLE]))


def _normalise(data_type: str) -> str:
    return data_type.upper().replace(" ", "")


def schema_outcome(con, relation: str, expected: dict[str, str], optional: tuple[str, ...] = ()) -> ExpectationOutcome:
    """Every expected column exists with its type; `optional` columns may be absent (e.g. lineage)."""
    actual = {name: _normalise(dtype) for name, dtype, *_ in con.execute(f"DESCRIBE {relation}").fetchall()}
    problems = [
        f"{name}: {actual.get(name, 'missing')} (expected {_normalise(dtype)})"
        for name, dtype in expected.items()
        if actual.get(name) != _normalise(dtype) and not (name in optional and name not in actual)
    ]
    return _outcome("column_types", None, problems, len(expected))


def no_gaps_outcome(con, relation: str, column: str) -> ExpectationOutcome:
    """Every period between the first and the last one has a row."""
    grain = GRAIN_COLUMNS[column]
    periods = con.execute(f'SELECT count(DISTINCT "{column}") FROM {relation}').fetchall()[0][0]
    if not periods:
        return _outcome(f"no_missing_{grain}s", column, [], 0)
    missing = [row[0] for row in con.execute(f"""
        WITH present AS (SELECT DISTINCT CAST(date_trunc('{grain}', "{column}") AS DATE) AS period FROM {relation})
        SELECT CAST(period AS DATE) FROM range(
            (SELECT min(period) FROM present), (SELECT max(period) FROM present) + INTERVAL 1 {grain}, INTERVAL 1 {grain}
        ) AS spine(period)
        WHERE CAST(period AS DATE) NOT IN (SELECT period FROM present) ORDER BY 1""").fetchall()]
    return _outcome(f"no_missing_{grain}s", column, missing, periods + len(missing))


def reconciliation_outcome(con, rule: Reconciliation) -> ExpectationOutcome:
    """Months where the mart's total and the source's differ by more than the rule's tolerance."""
    rows = con.execute(rule.sql()).fetchall()
    months = con.execute(f"SELECT count(DISTINCT month) FROM ({rule.monthly_mart_sql()})").fetchall()[0][0]
    problems = [f"{month}: mart {mart} vs {rule.source} {source}" for month, mart, source in rows]
    return _outcome(f"reconciles:{rule.name}", rule.measure, problems, months)
