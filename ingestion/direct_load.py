"""Load a clean CSV delivery straight from DuckDB's reader into `raw`, without a typed copy.

Most deliveries are clean: every line one record, every value parses, no key repeats. For them
the typed copy the quarantine needs (`typing_sql.TYPED`) is pure cost, as large as the insert
itself. So a CSV delivery first goes straight in, inside the caller's transaction; if the
reader set a line aside, a row broke a check or a key repeats, the caller rolls back and takes
the path that quarantines row by row. The rows come out the same either way.

DuckDB's reader gives no line numbers, and numbering rows in the query (row_number) would run
the whole insert on one thread. The insert keeps the file's order (insertion order is
preserved), so the rows are numbered from their rowids once committed (`number_lines`).
"""
from __future__ import annotations

from ingestion.column_plan import ColumnPlan
from ingestion.contract import Contract
from ingestion.ledger import LoadResult
from ingestion.raw_insert import insert_rows
from ingestion.readers import Delivery
from ingestion.scan import REJECTS
from ingestion.typing_sql import BAD, key_filter, typed_select


def load_directly(con, contract: Contract, plan: ColumnPlan, delivery: Delivery, result: LoadResult) -> bool:
    """Inside an open transaction: load every row with `_line` still NULL and return True, or
    return False (the caller rolls back) when the delivery needs the quarantine path."""
    if delivery.data_lines is None:
        return False
    delivery.source.prepare(con)
    typed = typed_select(plan, delivery.header, delivery.options, delivery.source)
    # Bad rows stay out, so a file with any falls short of one loaded row per line.
    rows = insert_rows(con, contract, plan, result, f"({typed}) t", "NULL", f"NOT t.{BAD}")
    rejected = con.execute(f"SELECT count(*) FROM {REJECTS}").fetchall()[0][0]
    if rejected or rows != delivery.data_lines or not _keys_unique(con, contract, plan, result, rows):
        return False
    result.rows_read = result.rows_loaded = rows
    result.rows_quarantined = 0
    return True


def _keys_unique(con, contract: Contract, plan: ColumnPlan, result: LoadResult, rows: int) -> bool:
    """True unless a row just inserted repeats a key.

    Keys are compared by hash: distinct hashes prove distinct keys, and a collision only sends
    the file down the exact path."""
    keys = ", ".join(f'"{k}"' for k in plan.version_key) or "NULL"
    keyed = key_filter(plan) or "false"
    count, keyed_rows, distinct_keys = con.execute(
        f"SELECT count(*), count(*) FILTER ({keyed}), count(DISTINCT hash({keys})) FILTER ({keyed}) "
        f"FROM {contract.table} WHERE _file_sha256 = ?",
        [result.file_sha256],
    ).fetchall()[0]
    return count == rows and keyed_rows == distinct_keys


def number_lines(con, table: str, file_sha256: str, first_line: int) -> None:
    """Set `_line` on a committed delivery's rows, in their order of insertion.

    Done after the load's commit on purpose: updating rows appended in the same transaction
    makes DuckDB write all of them to the write-ahead log (92 MB for a 60 MB CSV) instead of
    straight to the database file. A load interrupted between the two commits leaves `_line`
    NULL, which `number_pending_lines` repairs on the next load."""
    first, last, count = con.execute(
        f"SELECT min(rowid), max(rowid), count(*) FROM {table} WHERE _file_sha256 = ? AND _line IS NULL",
        [file_sha256],
    ).fetchall()[0]
    if not count:
        return
    if last - first + 1 == count:  # one transaction's rows are contiguous
        con.execute(
            f"UPDATE {table} SET _line = rowid - ? + ? WHERE rowid BETWEEN ? AND ?",
            [first, first_line, first, last],
        )
        return
    con.execute(
        f"""UPDATE {table} SET _line = n.line FROM (
            SELECT rowid AS row_id, ? - 1 + row_number() OVER (ORDER BY rowid) AS line
            FROM {table} WHERE _file_sha256 = ? AND _line IS NULL) n
        WHERE {table}.rowid = n.row_id""",
        [first_line, file_sha256],
    )


def number_pending_lines(con, contract: Contract) -> None:
    """Number the rows of loads that were interrupted after their commit (see `number_lines`)."""
    pending = con.execute(
        f"""SELECT DISTINCT r._file_sha256, json_extract(l.parse_options, '$.header_line')::BIGINT + 1
        FROM {contract.table} r JOIN raw._loads l ON l.file_sha256 = r._file_sha256 AND l.entity = ? AND l.status = 'loaded'
        WHERE r._line IS NULL""",
        [contract.entity],
    ).fetchall()
    for file_sha256, first_line in pending:
        number_lines(con, contract.table, file_sha256, first_line)
