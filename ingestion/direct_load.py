"""Load a clean CSV delivery straight from DuckDB's reader into `raw`, without a typed copy.

Most deliveries are clean: every line one record, every value parses, no key repeats. For them
the typed copy the quarantine needs (`typing_sql.TYPED`) is pure cost, as large as the insert
itself. So a CSV delivery first goes straight in, inside the caller's transaction; if the
reader set a line aside, a row broke a check or a key repeats, the caller rolls back and takes
the path that quarantines row by row. The rows come out the same either way.

DuckDB's reader gives no line numbers, and numbering rows in the query (row_number) would run
the whole insert on one thread. The insert keeps the file's order (insertion order is
preserved) and the rows a transaction appends get consecutive rowids, so the line is set
afterwards from the rowid, once the rows are known to be contiguous and complete.
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
    """Inside an open transaction: load every row and return True, or return False (the caller
    rolls back) when the delivery needs the quarantine path."""
    if delivery.data_lines is None:
        return False
    delivery.source.prepare(con)
    typed = typed_select(plan, delivery.header, delivery.options, delivery.source)
    # Bad rows go in too, marked by a line of -1, so the check below counts every record read.
    rows = insert_rows(con, contract, plan, result, f"({typed}) t", f"CASE WHEN t.{BAD} THEN -1 END", "true")
    rejected = con.execute(f"SELECT count(*) FROM {REJECTS}").fetchall()[0][0]
    if rejected or rows != delivery.data_lines or not _line_numbers_set(con, contract, plan, result, rows, delivery.header_line):
        return False
    result.rows_read = result.rows_loaded = rows
    result.rows_quarantined = 0
    return True


def _line_numbers_set(con, contract: Contract, plan: ColumnPlan, result: LoadResult, rows: int, header_line: int) -> bool:
    """Number the rows just inserted by line, unless one of them is bad or repeats a key.

    Keys are compared by hash: distinct hashes prove distinct keys, and a collision only sends
    the file down the exact path."""
    keys = ", ".join(f'"{k}"' for k in plan.version_key) or "NULL"
    keyed = key_filter(plan) or "false"
    count, bad, first, last, keyed_rows, distinct_keys = con.execute(
        f"SELECT count(*), count(_line), min(rowid), max(rowid), count(*) FILTER ({keyed}), count(DISTINCT hash({keys})) FILTER ({keyed}) "
        f"FROM {contract.table} WHERE _file_sha256 = ?",
        [result.file_sha256],
    ).fetchall()[0]
    if count != rows or bad or keyed_rows != distinct_keys:
        return False
    if rows:
        if last - first + 1 != rows:
            return False
        con.execute(
            f"UPDATE {contract.table} SET _line = rowid - ? + ? WHERE rowid BETWEEN ? AND ?",
            [first, header_line + 1, first, last],
        )
    return True
