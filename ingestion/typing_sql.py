"""Typed copy of a delivery and the list of values that break the contract.

A row with any unparseable value, missing required value or repeated key is quarantined as a
whole (one quarantine entry per offending column), so a row never loads with silently nulled
fields. A row the mapping says is no record of the entity (a DATEV revenue booking among cost
bookings) is skipped with its reason instead: neither loaded nor quarantined, only counted.

TYPED is the only copy of the delivery's rows: typed straight from the reader's source in one
pass that also flags the rows breaking a row check (`_bad`). The delivered text (c0..cN) is
kept only where it is still needed: for bad rows (their quarantine entry shows it), and for
columns nothing else uses (they go to `_extra`). A file repeating a key is read once more with
all text kept, since its repeats are quarantined too. TYPED's rowid is the record's ordinal
(temp tables created outside a transaction number rows from 0, in insertion order).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ingestion.column_plan import ColumnPlan, ColumnSource
from ingestion.formats import ParseOptions
from ingestion.parsing import describe_expectation, parse_expression, quote_literal
from ingestion.scan import Source, good_record_lines_sql

TYPED = "_load_typed"
DUPLICATES = "_load_duplicates"
BAD = "_bad"  # TYPED column: a value of the row breaks the contract (repeated keys aside)
SKIP = "_skip"  # TYPED column: why the row is no record of the entity (neither loaded nor bad), else NULL
NO_ERRORS = "SELECT NULL::BIGINT AS record, NULL::VARCHAR AS column_name, NULL::VARCHAR AS reason WHERE false"


@dataclass(frozen=True)
class Typed:
    rows: int  # records read from the source
    bad: int  # rows breaking the contract, repeated keys included
    duplicates: bool  # DUPLICATES holds the rows repeating an earlier row's key
    skipped: dict[str, int] = field(default_factory=dict)  # rows skipped, by reason

    @property
    def good_row_filter(self) -> str:
        """Condition on TYPED (alias t) selecting the rows to load."""
        repeat = f" AND t.rowid NOT IN (SELECT _record FROM {DUPLICATES})" if self.duplicates else ""
        return f"NOT t.{BAD} AND t.{SKIP} IS NULL{repeat}"


def _text_column(index: int) -> str:
    return f"_t{index}"


def _typed_expression(source: ColumnSource, text: str | None, options: ParseOptions) -> str:
    if source.literal_sql is not None:
        return source.literal_sql
    if text is None:
        return f"CAST(NULL AS {source.column.sql_type})"
    parsed = parse_expression(source.column, text, options)
    if source.sign_sql and source.column.type in ("integer", "decimal"):
        parsed = f"({parsed} * {source.sign_sql})"
    return parsed


def _row_violations(plan: ColumnPlan, options: ParseOptions, texts: dict[int, str]) -> list[tuple[str, str, str]]:
    """(condition, column label, reason SQL) for every way one row can break the contract;
    `texts` says how each source's trimmed text is referred to (by position in the plan)."""
    found = []
    for k, source in enumerate(plan.sources):
        if source.text_sql is None:
            continue
        text, label = texts[k], quote_literal(source.label)
        if source.column.required:
            found.append((f"{text} IS NULL", label, "'required value missing'"))
        if source.column.type != "varchar":
            expected = quote_literal(f" is not {describe_expectation(source.column, options)}")
            found.append((
                f'{text} IS NOT NULL AND "{source.column.name}" IS NULL',
                label, f"'''' || ({text}) || '''' || {expected}",
            ))
    return found


def _typed_select(plan: ColumnPlan, header: list[str], options: ParseOptions, source: Source, keep_all_text: bool) -> str:
    """One pass over the source: trimmed texts (once each), typed columns, the row flag `_bad`."""
    with_text = [k for k, s in enumerate(plan.sources) if s.text_sql is not None]
    texts = {k: _text_column(k) for k in with_text}
    trimmed = "".join(f", {plan.sources[k].text_sql} AS {texts[k]}" for k in with_text)
    typed = ", ".join(
        f'{_typed_expression(s, texts.get(k), options)} AS "{s.column.name}"' for k, s in enumerate(plan.sources)
    )
    violations = " OR ".join(f"({condition})" for condition, _, _ in _row_violations(plan, options, texts))
    bad = f"{SKIP} IS NULL AND ({violations})" if violations else "false"
    skip = plan.skip_sql or "CAST(NULL AS VARCHAR)"
    raw = ", ".join(f"c{i}" for i in range(len(header)))
    kept = "".join(
        f", c{i}" if keep_all_text or name in plan.extra_columns else f", CASE WHEN {BAD} THEN c{i} END AS c{i}"
        for i, name in enumerate(header)
    )
    names = ", ".join(f'"{s.column.name}"' for s in plan.sources)
    return (
        f"SELECT {names}{kept}, {BAD}, {SKIP} FROM ("
        f"SELECT *, {bad} AS {BAD} FROM ("
        f"SELECT *, {typed} FROM ("
        f"SELECT {raw}{trimmed}, {skip} AS {SKIP} FROM {source.sql})))"
    )


def _create_typed(con, plan: ColumnPlan, header: list[str], options: ParseOptions, source: Source, keep_all_text: bool) -> None:
    source.prepare(con)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {TYPED} AS {_typed_select(plan, header, options, source, keep_all_text)}")


def _key_filter(plan: ColumnPlan) -> str:
    return " AND ".join([f"{SKIP} IS NULL", *(f'"{k}" IS NOT NULL' for k in plan.version_key)])


def _repeats_a_key(con, plan: ColumnPlan) -> bool:
    keys = ", ".join(f'"{k}"' for k in plan.version_key)
    return con.execute(
        f"SELECT count(*) FROM (SELECT 1 FROM {TYPED} WHERE {_key_filter(plan)} GROUP BY {keys} HAVING count(*) > 1)"
    ).fetchall()[0][0] > 0


def _build_duplicates(con, plan: ColumnPlan) -> None:
    """Later rows that repeat an earlier row's primary key and version within this delivery."""
    keys = ", ".join(f'"{k}"' for k in plan.version_key)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {DUPLICATES} AS SELECT _record, first_record FROM ("
        f"SELECT rowid AS _record, min(rowid) OVER (PARTITION BY {keys}) AS first_record FROM {TYPED} "
        f"WHERE {_key_filter(plan)}) WHERE _record <> first_record"
    )


def build_typed(con, plan: ColumnPlan, header: list[str], options: ParseOptions, source: Source) -> Typed:
    """TYPED from the source, and DUPLICATES when the delivery repeats a key."""
    _create_typed(con, plan, header, options, source, keep_all_text=False)
    duplicates = bool(plan.version_key) and _repeats_a_key(con, plan)
    if duplicates:
        _create_typed(con, plan, header, options, source, keep_all_text=True)
        _build_duplicates(con, plan)
    repeat = f" OR rowid IN (SELECT _record FROM {DUPLICATES})" if duplicates else ""
    rows, bad = con.execute(f"SELECT count(*), count(*) FILTER ({BAD}{repeat}) FROM {TYPED}").fetchall()[0]
    skipped = con.execute(f"SELECT {SKIP}, count(*) FROM {TYPED} WHERE {SKIP} IS NOT NULL GROUP BY 1 ORDER BY 1").fetchall() if plan.skip_sql else []
    return Typed(rows, bad, duplicates, dict(skipped))


def error_rows_sql(plan: ColumnPlan, options: ParseOptions, typed: Typed) -> str:
    """(record, column_name, reason) for every missing required or unparseable value and every
    repeated key; the checks run again on the bad rows only, over their kept text."""
    texts = {k: s.text_sql for k, s in enumerate(plan.sources)}
    parts = [
        f"SELECT rowid AS record, {label} AS column_name, {reason} AS reason FROM {TYPED} WHERE {BAD} AND {condition}"
        for condition, label, reason in _row_violations(plan, options, texts)
    ]
    if typed.duplicates:
        key = quote_literal(", ".join(plan.version_key))
        parts.append(
            f"SELECT d._record AS record, {key} AS column_name, 'duplicate key: same ' || {key} || ' as line ' || g.line AS reason "
            f"FROM {DUPLICATES} d JOIN ({good_record_lines_sql()}) g ON g.record = d.first_record"
        )
    return " UNION ALL ".join(parts) or NO_ERRORS
