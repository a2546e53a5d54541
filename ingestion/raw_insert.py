"""The one INSERT into `raw.<entity>`: contract columns, unused delivered columns as JSON, lineage.

Every delivery, whatever its format, reaches `raw` through here from its typed copy, so the
shape of a raw row (and the lineage the architecture asks of each) is written in one place.
"""
from __future__ import annotations

from ingestion.column_plan import ColumnPlan
from ingestion.contract import Contract
from ingestion.ledger import LoadResult


def insert_rows(con, contract: Contract, plan: ColumnPlan, result: LoadResult, source: str, line: str, where: str) -> int:
    """Insert the rows of `source` (alias t: typed columns and text c0..cN) matching `where`,
    with `line` as their physical line; returns how many were inserted."""
    names = ", ".join(f'"{c}"' for c in contract.column_names)
    extra = [(h, f"c{i}") for i, h in enumerate(result.header) if h in plan.extra_columns]
    extra_sql = "json_object(" + ", ".join(f"?, t.{col}" for _, col in extra) + ")::VARCHAR" if extra else "NULL"
    return con.execute(
        f"""INSERT INTO {contract.table} ({names}, _extra, _file, _line, _file_sha256, _loaded_at)
        SELECT {', '.join(f't."{c}"' for c in contract.column_names)}, {extra_sql}, ?, {line}, ?, now()::TIMESTAMP
        FROM {source} WHERE {where}""",
        [h for h, _ in extra] + [result.file, result.file_sha256],
    ).fetchall()[0][0]
