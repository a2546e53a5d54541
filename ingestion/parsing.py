"""SQL that turns a text value into its contract type under a file's conventions.

Parsing runs inside DuckDB (vectorised, out of core) rather than row by row in Python; a value
that does not parse becomes NULL here, and the loader quarantines that row naming the column.
"""
from __future__ import annotations

import re

from ingestion.contract import Column
from ingestion.formats import ParseOptions


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def quote_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


# strptime accepts `25` for %Y and `7` for %M; a shape per format keeps parsing strict.
_DIRECTIVE_SHAPES = {"%d": r"\d{1,2}", "%m": r"\d{1,2}", "%Y": r"\d{4}", "%y": r"\d{2}",
                     "%H": r"\d{1,2}", "%M": r"\d{2}", "%S": r"\d{2}"}


def _format_shape(fmt: str) -> str:
    parts = re.split(r"(%[a-zA-Z])", fmt)
    return "".join(_DIRECTIVE_SHAPES.get(p, re.escape(p)) for p in parts)


def _strict_strptime(text: str, formats: tuple[str, ...]) -> str:
    branches = " ".join(
        f"WHEN regexp_full_match({text}, {quote_literal(_format_shape(f))}) "
        f"THEN try_strptime({text}, {quote_literal(f)})"
        for f in formats
    )
    return f"CASE {branches} END"


def _number_text(value: str, options: ParseOptions, fraction: bool) -> str:
    """Normalise `1.234,56` (de) or `1,234.56` (generic) to `1234.56`, NULL when malformed."""
    group, point = (r"\.", ",") if options.decimal == "," else (",", r"\.")
    shape = rf"[+-]?(\d{{1,3}}({group}\d{{3}})+|\d+)" + (rf"({point}\d+)?" if fraction else "")
    if options.decimal == ",":
        normalised = f"replace(replace({value}, '.', ''), ',', '.')"
    else:
        normalised = f"replace({value}, ',', '')"
    return f"CASE WHEN regexp_full_match({value}, {quote_literal(shape)}) THEN {normalised} END"


def parse_expression(column: Column, text: str, options: ParseOptions) -> str:
    """Expression parsing `text` (trimmed VARCHAR, NULL when empty) into the column's type."""
    if column.type == "varchar":
        return text
    if column.type == "integer":
        return f"TRY_CAST({_number_text(text, options, fraction=False)} AS BIGINT)"
    if column.type == "decimal":
        return f"TRY_CAST({_number_text(text, options, fraction=True)} AS DECIMAL(18,6))"
    if column.type == "date":
        return f"CAST({_strict_strptime(text, options.date_formats)} AS DATE)"
    if column.type == "timestamp":
        if options.timestamp_formats == ("epoch_us",):
            # Web-analytics exports count microseconds since 1970-01-01 UTC.
            return f"CASE WHEN regexp_full_match({text}, '\\d{{1,19}}') THEN make_timestamp(CAST({text} AS BIGINT)) END"
        # An instant becomes UTC wall time by arithmetic (make_timestamp(epoch_us(..))), cheaper
        # than a time zone lookup per value; only infinity needs the lookup.
        if options.source_timezone == "UTC":
            # ISO timestamps: `Z` or an offset is honoured; a naive one is taken as UTC. epoch_us
            # is NULL for infinity, and coalesce evaluates its second argument only for the rows
            # whose first is NULL: the text is cast once per value, not once per mention.
            instant = f"TRY_CAST({text} AS TIMESTAMPTZ)"
            return f"coalesce(make_timestamp(epoch_us({instant})), {instant} AT TIME ZONE 'UTC')"
        local = _strict_strptime(text, options.timestamp_formats)  # finite whenever it parses
        zone = quote_literal(options.source_timezone)
        return f"make_timestamp(epoch_us({local} AT TIME ZONE {zone}))"
    raise ValueError(f"unknown column type {column.type!r}")


def describe_expectation(column: Column, options: ParseOptions) -> str:
    """Human wording of what a value of this column must look like in this file."""
    if column.type in ("integer", "decimal"):
        example = "1.234,56" if options.decimal == "," else "1234.56"
        return f"a {column.type} number like {example}"
    if column.type == "date":
        return "a date in format " + " or ".join(options.date_formats)
    if column.type == "timestamp":
        return "a timestamp in format " + " or ".join(options.timestamp_formats)
    return "text"
