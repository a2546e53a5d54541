"""Column types of a staging model, as SQL, reported as an outcome beside the GX ones.

Column types are a property of the relation, not of its rows, and pandas loses the exact DuckDB
types. A `DESCRIBE` answers without reading a row, and the answer becomes an `ExpectationOutcome`
named `sql:column_types`, so the stored result, the Data Docs and the asset check metadata show
it like any expectation. (Calendars and reconciliations are dbt tests.)
"""
from __future__ import annotations

from .outcomes import ExpectationOutcome

SAMPLE = 5


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
