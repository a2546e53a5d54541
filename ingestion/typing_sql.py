"""Typed view of a scanned delivery and the list of values that break the contract.

A row with any unparseable value, missing required value or repeated key is quarantined as a
whole (one quarantine entry per offending column), so a row never loads with silently nulled
fields.
"""
from __future__ import annotations

from ingestion.column_plan import ColumnPlan, ColumnSource
from ingestion.formats import ParseOptions
from ingestion.parsing import describe_expectation, parse_expression, quote_literal
from ingestion.scan import STAGE, good_record_lines_sql

TYPED = "_load_typed"
DUPLICATES = "_load_duplicates"


def _typed_expression(source: ColumnSource, options: ParseOptions) -> str:
    if source.text_sql is None:
        return f"CAST(NULL AS {source.column.sql_type})"
    parsed = parse_expression(source.column, source.text_sql, options)
    if source.sign_sql and source.column.type in ("integer", "decimal"):
        parsed = f"({parsed} * {source.sign_sql})"
    return parsed


def _duplicate_violation(plan: ColumnPlan) -> tuple[str, str, str]:
    key = quote_literal(", ".join(plan.version_key))
    first_line = (
        f"(SELECT g.line FROM {DUPLICATES} d JOIN ({good_record_lines_sql()}) g ON g.record = d.first_record "
        f"WHERE d._record = {TYPED}._record)"
    )
    return (f"_record IN (SELECT _record FROM {DUPLICATES})", key,
            f"'duplicate key: same ' || {key} || ' as line ' || {first_line}")


def _violations(plan: ColumnPlan, options: ParseOptions) -> list[tuple[str, str, str]]:
    """(condition, column label, reason SQL) for every way a row can break the contract."""
    found = []
    for source in plan.sources:
        if source.text_sql is None:
            continue
        label = quote_literal(source.label)
        if source.column.required:
            found.append((f"{source.text_sql} IS NULL", label, "'required value missing'"))
        if source.column.type != "varchar":
            expected = quote_literal(f" is not {describe_expectation(source.column, options)}")
            found.append((
                f'{source.text_sql} IS NOT NULL AND "{source.column.name}" IS NULL',
                label, f"'''' || ({source.text_sql}) || '''' || {expected}",
            ))
    if plan.version_key:
        found.append(_duplicate_violation(plan))
    return found


def _build_duplicates(con, plan: ColumnPlan) -> None:
    """Later rows that repeat an earlier row's primary key and version within this delivery."""
    columns = [f'"{k}"' for k in plan.version_key]
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {DUPLICATES} AS SELECT _record, first_record FROM ("
        f"SELECT _record, min(_record) OVER (PARTITION BY {', '.join(columns)}) AS first_record FROM {TYPED} "
        f"WHERE {' AND '.join(f'{c} IS NOT NULL' for c in columns)}) WHERE _record <> first_record"
    )


def build_typed(con, plan: ColumnPlan, width: int, options: ParseOptions) -> int:
    """TYPED: _record (STAGE rowid), c0..cN as read and the typed contract columns.

    Returns how many rows break the contract; the checks read the materialized columns, so no
    parse expression is evaluated twice.
    """
    typed = [f'{_typed_expression(s, options)} AS "{s.column.name}"' for s in plan.sources]
    raw = "".join(f"c{i}, " for i in range(width))
    con.execute(f"CREATE OR REPLACE TEMP TABLE {TYPED} AS SELECT rowid AS _record, {raw}{', '.join(typed)} FROM {STAGE}")
    if plan.version_key:
        _build_duplicates(con, plan)
    return con.execute(f"SELECT count(*) FROM {TYPED} WHERE {bad_row_condition(plan, options)}").fetchall()[0][0]


def bad_row_condition(plan: ColumnPlan, options: ParseOptions) -> str:
    return " OR ".join(f"({condition})" for condition, _, _ in _violations(plan, options)) or "false"


def error_rows_sql(plan: ColumnPlan, options: ParseOptions) -> str:
    """(record, column_name, reason) for every missing required or unparseable value."""
    parts = [
        f"SELECT _record AS record, {label} AS column_name, {reason} AS reason FROM {TYPED} WHERE {condition}"
        for condition, label, reason in _violations(plan, options)
    ]
    if not parts:
        return "SELECT NULL::BIGINT AS record, NULL::VARCHAR AS column_name, NULL::VARCHAR AS reason WHERE false"
    return " UNION ALL ".join(parts)
