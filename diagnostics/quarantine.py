"""Quarantined rows as problems: one per file, column and rule, with up to five offending values.

The loader's reasons embed the value (`'gestern' is not a date in format ...`); the value is cut
out so that every row breaking the same rule in the same column counts under one problem, and the
distinct values, each with its first line, become the examples. Grouping runs in DuckDB: a file
with a million bad rows yields a handful of result rows.
"""
from __future__ import annotations

from .problem import MAX_EXAMPLES, Example, Problem

VALUE_REASON = r"^'(.*)' (is not .*)$"
GROUPED = f"""
WITH q AS (
  SELECT file, entity, line, column_name,
         CASE WHEN regexp_matches(reason, $re, 's') THEN regexp_extract(reason, $re, 2, 's')
              WHEN starts_with(reason, 'duplicate key') THEN regexp_replace(reason, 'as line \\d+$', 'as an earlier line')
              WHEN column_name IS NULL THEN split_part(reason, ':', 1)
              ELSE reason END AS rule,
         CASE WHEN regexp_matches(reason, $re, 's') THEN regexp_extract(reason, $re, 1, 's')
              WHEN reason = 'required value missing' THEN NULL
              ELSE raw_text END AS value
  FROM raw._quarantine WHERE load_id IN (SELECT unnest($loads::VARCHAR[]))
), per_value AS (
  SELECT file, entity, column_name, rule, value, min(line) AS line, count(*) AS n FROM q GROUP BY ALL
)
SELECT file, entity, column_name, rule, sum(n)::BIGINT, min(line),
       list(value ORDER BY line)[1:{MAX_EXAMPLES}], list(line ORDER BY line)[1:{MAX_EXAMPLES}]
FROM per_value GROUP BY ALL ORDER BY file, min(line)
"""


def _todo(entity: str, column: str | None, rule: str) -> str:
    left_out = "Until then these rows are left out of the warehouse."
    if rule == "required value missing":
        return f"fill in {column} on these lines (ingestion/contracts/{entity}.yaml requires it) and save the file again. {left_out}"
    if rule.startswith("is not "):
        return (f"correct these values so that each is {rule.removeprefix('is not ')} and save the file "
                f"again; if the whole column is written another way, set its formats under `parse:` in the vendor "
                f"mapping. {left_out}")
    if rule.startswith("duplicate key"):
        return f"remove the repeated lines from the export, or export each record once. {left_out}"
    if column is None:
        return (f"these lines do not fit the file's layout ({rule}): check their field count, quoting and encoding, "
                f"then save the file again. {left_out}")
    return f"correct the values on these lines and save the file again. {left_out}"


def quarantine_problems(con, load_ids: list[str], blocking_files: set[str] = frozenset()) -> list[Problem]:
    """One problem per file, column and rule of the given loads' quarantined rows."""
    if not load_ids:
        return []
    rows = con.execute(GROUPED, {"re": VALUE_REASON, "loads": load_ids}).fetchall()
    return [
        Problem(file, f"{count} row{'s' if count > 1 else ''} quarantined: {'value ' if rule.startswith('is not') else ''}{rule}",
                _todo(entity, column, rule), line=first_line, column=column,
                examples=tuple(Example(v, ln) for v, ln in zip(values, lines)), blocking=file in blocking_files,
                found_by="loading")
        for file, entity, column, rule, count, first_line, values, lines in rows
    ]
