"""Typed view of a scanned delivery and the list of values that break the contract.

A row with any unparseable value or missing required value is quarantined as a whole (one
quarantine entry per offending column), so a row never loads with silently nulled fields.
"""
from __future__ import annotations

from ingestion.column_plan import ColumnPlan
from ingestion.scan import STAGE
from ingestion.formats import ParseOptions
from ingestion.parsing import describe_expectation, parse_expression, quote_literal

TYPED = "_load_typed"


def _typed_expression(source, options: ParseOptions) -> str:
    if source.text_sql is None:
        return f"CAST(NULL AS {source.column.sql_type})"
    parsed = parse_expression(source.column, source.text_sql, options)
    if source.sign_sql and source.column.type in ("integer", "decimal"):
        parsed = f"({parsed} * {source.sign_sql})"
    return parsed


def build_typed(con, plan: ColumnPlan, width: int, options: ParseOptions) -> None:
    """TYPED: _record (STAGE rowid), c0..cN as read, and one typed column per contract column."""
    typed = [f'{_typed_expression(s, options)} AS "{s.column.name}"' for s in plan.sources]
    raw = "".join(f"c{i}, " for i in range(width))
    con.execute(f"CREATE OR REPLACE TEMP TABLE {TYPED} AS SELECT rowid AS _record, {raw}{', '.join(typed)} FROM {STAGE}")


def error_rows_sql(plan: ColumnPlan, options: ParseOptions) -> str:
    """(record, column_name, reason) for every missing required or unparseable value."""
    parts = []
    for source in plan.sources:
        if source.text_sql is None:
            continue
        label, name = quote_literal(source.label), source.column.name
        if source.column.required:
            parts.append(
                f"SELECT _record AS record, {label} AS column_name, 'required value missing' AS reason "
                f"FROM {TYPED} WHERE {source.text_sql} IS NULL"
            )
        if source.column.type != "varchar":
            expected = quote_literal(f" is not {describe_expectation(source.column, options)}")
            parts.append(
                f"SELECT _record, {label}, '''' || ({source.text_sql}) || '''' || {expected} "
                f'FROM {TYPED} WHERE {source.text_sql} IS NOT NULL AND "{name}" IS NULL'
            )
    if not parts:
        return "SELECT NULL::BIGINT AS record, NULL::VARCHAR AS column_name, NULL::VARCHAR AS reason WHERE false"
    return " UNION ALL ".join(parts)
