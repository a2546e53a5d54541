"""Typed view of a scanned delivery and the list of values that break the contract.

A row with any unparseable value or missing required value is quarantined as a whole (one
quarantine entry per offending column), so a row never loads with silently nulled fields.
"""
from __future__ import annotations

from ingestion.contract import Contract
from ingestion.csv_scan import STAGE
from ingestion.formats import ParseOptions
from ingestion.parsing import describe_expectation, parse_expression, quote_literal

TYPED = "_load_typed"


def _text(index: int) -> str:
    return f"NULLIF(trim(c{index}), '')"


def build_typed(con, contract: Contract, header: list[str], options: ParseOptions) -> None:
    """TYPED: _record (STAGE rowid), c0..cN as read, and one typed column per contract column."""
    position = {name: i for i, name in enumerate(header)}
    typed = []
    for column in contract.columns:
        if column.name in position:
            typed.append(f'{parse_expression(column, _text(position[column.name]), options)} AS "{column.name}"')
        else:
            typed.append(f'CAST(NULL AS {column.sql_type}) AS "{column.name}"')
    raw = ", ".join(f"c{i}" for i in range(len(header)))
    con.execute(f"CREATE OR REPLACE TEMP TABLE {TYPED} AS SELECT rowid AS _record, {raw}, {', '.join(typed)} FROM {STAGE}")


def error_rows_sql(contract: Contract, header: list[str], options: ParseOptions) -> str:
    """(record, column_name, reason) for every missing required or unparseable value."""
    parts = []
    for index, name in enumerate(header):
        if name not in contract.column_names:
            continue
        column = contract.column(name)
        if column.required:
            parts.append(
                f"SELECT _record AS record, {quote_literal(name)} AS column_name, "
                f"'required value missing' AS reason FROM {TYPED} WHERE {_text(index)} IS NULL"
            )
        if column.type != "varchar":
            expected = quote_literal(f" is not {describe_expectation(column, options)}")
            parts.append(
                f"SELECT _record, {quote_literal(name)}, '''' || c{index} || ''''  || {expected} "
                f'FROM {TYPED} WHERE {_text(index)} IS NOT NULL AND "{name}" IS NULL'
            )
    if not parts:
        return "SELECT NULL::BIGINT AS record, NULL::VARCHAR AS column_name, NULL::VARCHAR AS reason WHERE false"
    return " UNION ALL ".join(parts)
