"""Read a newline-delimited JSON delivery (e.g. a web-analytics event export) into the scan tables.

Each line is read as text first, so that a malformed line is quarantined with its line number
instead of failing the file; fields come from JSON paths, or from the export's parameter list
(`event_params: [{key, value: {string_value | int_value | double_value}}]`).
"""
from __future__ import annotations

from ingestion.contract import Contract
from ingestion.delivery import Delivery, Incoming, staged, with_overrides
from ingestion.formats import generic_options
from ingestion.mapping import find_mapping
from ingestion.parsing import quote_literal
from ingestion.scan import LINES, REJECTS, REJECTS_COLUMNS, STAGE, DeliveryError, Scan, counted, reset

LINES_TABLE = "_json_lines"
# json_type() raises on malformed text and AND does not short-circuit, hence the CASE.
IS_OBJECT = "CASE WHEN json_valid(line) THEN json_type(line) = 'OBJECT' ELSE false END"
PARAMS = (
    "list_transform(CAST(json_extract(line, '$.event_params') AS JSON[]), lambda p: struct_pack("
    "k := json_extract_string(p, '$.key'), "
    "v := coalesce(json_extract_string(p, '$.value.string_value'), json_extract_string(p, '$.value.int_value'), "
    "json_extract_string(p, '$.value.double_value'), json_extract_string(p, '$.value.float_value'))))"
)


def field_sql(spec) -> str:
    """`$.a.b` is a JSON path; `{param: key}` a value from the event's parameter list."""
    if isinstance(spec, dict):
        return f"list_extract(list_filter(params, lambda p: p.k = {quote_literal(str(spec['param']))}), 1).v"
    return f"json_extract_string(line, {quote_literal(str(spec))})"


def _lines_of(incoming: Incoming) -> str:
    """The file as one text column `line`, one row per physical line."""
    compression = "gzip" if incoming.sniffed.compression == "gzip" else "none"
    return (f"read_csv({quote_literal(str(incoming.path))}, columns = {{'line': 'VARCHAR'}}, header = false, "
            f"delim = chr(31), quote = '', escape = '', auto_detect = false, strict_mode = false, compression = '{compression}')")


def first_object_keys(con, incoming: Incoming) -> list[str]:
    rows = con.execute(f"SELECT json_keys(line) FROM {_lines_of(incoming)} WHERE {IS_OBJECT} LIMIT 1").fetchall()
    return list(rows[0][0]) if rows else []


def scan(con, incoming: Incoming, fields: dict[str, object]) -> Scan:
    """STAGE columns c0..cN are the `fields` in order; the header is their names."""
    reset(con)
    # A table first: its rowid is the physical line (blank lines come through as NULL rows).
    con.execute(f"CREATE OR REPLACE TEMP TABLE _json_raw AS SELECT line FROM {_lines_of(incoming)}")
    con.execute(  # a line holding only a Ctrl-Z (DOS end of file) is as blank as an empty one
        f"CREATE OR REPLACE TEMP TABLE {LINES_TABLE} AS SELECT rowid + 1 AS line_number, line, "
        f"{IS_OBJECT} AS ok "
        "FROM _json_raw WHERE line IS NOT NULL AND trim(line, ' \t\r' || chr(26)) <> ''"
    )
    con.execute(f"CREATE TEMP TABLE {REJECTS} ({REJECTS_COLUMNS})")
    con.execute(f"CREATE TEMP TABLE {LINES} AS SELECT row_number() OVER (ORDER BY line_number) AS record_number, line_number AS line FROM {LINES_TABLE}")
    con.execute(
        f"INSERT INTO {REJECTS} SELECT l.record_number + 1, NULL, 'INVALID JSON', 'line is not a JSON object', j.line "
        f"FROM {LINES_TABLE} j JOIN {LINES} l ON l.line = j.line_number WHERE NOT j.ok"
    )
    columns = ", ".join(f"{field_sql(spec)} AS c{i}" for i, spec in enumerate(fields.values()))
    con.execute(
        f"CREATE TEMP TABLE {STAGE} AS SELECT {columns} FROM "
        f"(SELECT line, {PARAMS} AS params FROM {LINES_TABLE} WHERE ok ORDER BY line_number)"
    )
    return counted(con, list(fields))


def _json_path(key: str) -> str:
    return '$."' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'


def read(con, contract: Contract, incoming: Incoming) -> Delivery:
    keys = first_object_keys(con, incoming)
    mapping = find_mapping(contract.entity, keys, json=True)
    fields = mapping.fields if mapping else {k: _json_path(k) for k in keys}
    if not fields:
        raise DeliveryError(f"{incoming.label}: line 1: no JSON object found")
    options = with_overrides(generic_options(incoming.sniffed.compression), mapping)
    return staged(list(fields), mapping, options, scan(con, incoming, fields), 0)
