"""What every reader (delimited text, Excel, NDJSON, Parquet) hands to the typing step.

A `Source` is the relation typing reads: one row per record with text columns c0..cN in file
order. Excel, NDJSON and Parquet readers materialize it as STAGE; the text reader hands over its
`read_csv` call, so typing reads the file directly instead of from a full text copy of it.
REJECTS holds the records the reader could not split into columns, LINES the physical line (or
row number) of every record. `record_number` counts all records from 1, rejected ones included;
REJECTS.line is record_number + 1, the convention of DuckDB's CSV reader.
"""
from __future__ import annotations

from dataclasses import dataclass

STAGE, REJECTS, LINES = "_scan_rows", "_scan_rejects", "_scan_lines"
REJECTS_SCAN = "_scan_rejects_scan"  # DuckDB's companion of REJECTS
REJECTS_COLUMNS = "line UBIGINT, column_name VARCHAR, error_type VARCHAR, error_message VARCHAR, csv_line VARCHAR"


class DeliveryError(Exception):
    """A delivery that cannot be loaded at all; the message names the file and the reason."""


@dataclass(frozen=True)
class Source:
    sql: str  # a table name or a table function call
    # Tables that reading the source fills (DuckDB's rejects tables append): dropped before a read.
    side_tables: tuple[str, ...] = ()

    def prepare(self, con) -> None:
        for table in self.side_tables:
            con.execute(f"DROP TABLE IF EXISTS {table}")


@dataclass(frozen=True)
class Scan:
    header: list[str]
    rows: int  # records the reader split into columns
    rejected: int  # records it set aside


def reset(con) -> None:
    for table in (STAGE, REJECTS, LINES, REJECTS_SCAN):
        con.execute(f"DROP TABLE IF EXISTS {table}")


def counted(con, header: list[str], rows: int | None = None) -> Scan:
    """Rows (of STAGE unless counted already) and rejected records of the last read."""
    if rows is None:
        rows = con.execute(f"SELECT count(*) FROM {STAGE}").fetchall()[0][0]
    rejected = con.execute(f"SELECT count(DISTINCT line) FROM {REJECTS}").fetchall()[0][0]
    return Scan(header=header, rows=rows, rejected=rejected)


def sequential_lines(con, records: int, offset: int) -> None:
    """LINES for files whose records are one line each: line = record_number + offset."""
    con.execute(
        f"CREATE TEMP TABLE {LINES} AS SELECT r AS record_number, r + {int(offset)} AS line "
        f"FROM range(1, {int(records)} + 1) t(r)"
    )


def line_offset(con) -> int | None:
    """The constant line - record_number when every record is one line and none was rejected."""
    rows = con.execute(
        f"SELECT min(line - record_number), max(line - record_number), "
        f"(SELECT count(*) FROM {REJECTS}) FROM {LINES}"
    ).fetchall()[0]
    low, high, rejected = rows
    return int(low) if low is not None and low == high and rejected == 0 else None


def good_record_lines_sql() -> str:
    """Rows of STAGE (by rowid order) paired with their physical line, skipping rejected records."""
    return f"""
        SELECT row_number() OVER (ORDER BY l.record_number) - 1 AS record, l.line
        FROM {LINES} l
        WHERE l.record_number + 1 NOT IN (SELECT line FROM {REJECTS})
    """


def rejected_lines_sql() -> str:
    """One row per rejected record (DuckDB reports a short line once per missing column)."""
    return f"""
        SELECT coalesce(l.line, r.line) AS line, r.error_type::VARCHAR AS error_type,
               min(r.error_message) AS error_message, min(r.csv_line) AS csv_line
        FROM {REJECTS} r LEFT JOIN {LINES} l ON l.record_number = r.line - 1
        GROUP BY ALL
    """
