"""Small Markdown previews of published tables, for the asset page in the Dagster UI.

Whoever looks at the serving asset should see what BI tools will see without opening a client:
the first rows of each mart, wide tables cut to a readable number of columns.
"""
from __future__ import annotations

PREVIEW_ROWS = 5
PREVIEW_COLUMNS = 12


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return text.replace("|", "\\|").replace("\n", " ")[:40]


def table_preview(con, qualified_table: str, rows: int = PREVIEW_ROWS) -> str:
    """The first `rows` rows of `schema.table` as a Markdown table."""
    schema, table = qualified_table.split(".", 1)
    cursor = con.execute(f'SELECT * FROM "{schema}"."{table}" LIMIT {int(rows)}')
    columns = [d[0] for d in cursor.description]
    shown = columns[:PREVIEW_COLUMNS]
    data = cursor.fetchall()
    lines = ["| " + " | ".join(shown) + " |", "| " + " | ".join("---" for _ in shown) + " |"]
    lines += ["| " + " | ".join(_cell(v) for v in row[: len(shown)]) + " |" for row in data]
    if len(columns) > len(shown):
        lines.append(f"\n{len(columns) - len(shown)} more column(s) not shown.")
    return "\n".join(lines)
