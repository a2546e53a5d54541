"""Screen a large relation in SQL so that GX's pandas engine sees a sample and the suspects only.

GX's pandas engine validates row by row in Python, which on the staging rows of a first load
would be most of the pipeline's time (BENCHMARKS.md). Its SQL engine, which would push the work
into DuckDB, does not work on DuckDB (see ARCHITECTURE.md). So DuckDB computes, for every
expectation, the rows that break it, with the same meaning GX gives it (missing values are not
checked except by not-null); GX then validates the first `sample_rows` rows plus every flagged
row, and the rest count as passed.

GX's and the screen's verdicts are compared on every row GX saw: an expectation whose counts
differ (the SQL translation disagrees with GX) fails with an error saying so, so a wrong
translation cannot silently pass rows.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from ingestion.parsing import quote_ident, quote_literal

from .per_file import TYPE_CHECKS

SCREENED = "_screened"


def _literal(value) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return repr(value)
    return quote_literal(str(value))


def violation_sql(config: Mapping) -> str | None:
    """SQL condition true on the rows that break the expectation; None if it has no translation."""
    kwargs = config["kwargs"]
    column = quote_ident(kwargs["column"])
    kind = config["type"]
    if set(kwargs) - {"column", "value_set", "min_value", "max_value", "strict_min", "strict_max", "type_list", "type_"}:
        return None  # e.g. `mostly`, `row_condition`: other meanings than row by row
    if kind == "expect_column_values_to_not_be_null":
        return f"{column} IS NULL"
    if kind == "expect_column_values_to_be_in_set":
        values = ", ".join(_literal(v) for v in kwargs["value_set"]) or "NULL"
        return f"({column} IS NOT NULL AND {column} NOT IN ({values}))"
    if kind in TYPE_CHECKS:
        return "false"  # the DuckDB column's type holds for every row; GX checks it on the sample
    if kind == "expect_column_values_to_be_between":
        bounds = []
        if kwargs.get("min_value") is not None:
            bounds.append(f"{column} {'<=' if kwargs.get('strict_min') else '<'} {_literal(kwargs['min_value'])}")
        if kwargs.get("max_value") is not None:
            bounds.append(f"{column} {'>=' if kwargs.get('strict_max') else '>'} {_literal(kwargs['max_value'])}")
        return f"({column} IS NOT NULL AND ({' OR '.join(bounds)}))" if bounds else "false"
    return None


def screen_conditions(configs: Sequence) -> list[str] | None:
    """One condition per expectation configuration (GX's, in suite order); None when any has none."""
    conditions = [violation_sql(config.to_json_dict()) for config in configs]
    return None if any(c is None for c in conditions) else conditions


def build_screen(con, query: str, params: Sequence | None, conditions: list[str], sample_rows: int,
                 by: str | None = None) -> tuple[dict, str]:
    """Materialize the query's rows once. Return, per value of column `by` (one group, None,
    without it), the row count and each expectation's count of breaking rows; and the query of
    the rows GX must see (the first `sample_rows`, then the suspects)."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE {SCREENED} AS {query}", params)
    counts = ", ".join(f"count(*) FILTER ({c})" for c in conditions)
    groups = con.execute(f"SELECT {by or 'NULL'}, count(*), {counts} FROM {SCREENED} GROUP BY ALL").fetchall()
    suspects = " OR ".join(f"({c})" for c in conditions)
    # rowids follow insertion order; inside a transaction they start far above 0, hence the min.
    sample = f"rowid < (SELECT min(rowid) FROM {SCREENED}) + {int(sample_rows)}"
    query = f"SELECT * FROM {SCREENED} WHERE {sample} OR ({suspects}) ORDER BY rowid"
    return {group: (total, list(broken)) for group, total, *broken in groups}, query


def drop_screen(con) -> None:
    con.execute(f"DROP TABLE IF EXISTS {SCREENED}")
