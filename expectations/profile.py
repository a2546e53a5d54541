"""Volume, freshness and distribution of a whole staging model or mart, against its recent runs.

Row expectations see one chunk at a time; these are properties of the whole relation. DuckDB
measures them in one scan (GX's SQL engine would do the same, but fails on DuckDB, see
ARCHITECTURE.md): the row count, the newest date, each column's share of missing values. GX then
validates two small frames against bounds drawn from the relation's recent profiles: one row of
volume and freshness, and one row per column of how far its share of missing values rose (so a
failure names the columns). Profiles are kept in `validation.profiles` in the warehouse: a
rebuilt warehouse starts without history, and without history there is nothing to compare.
These expectations are warnings: a table that shrank or a column that emptied is worth a look,
yet may be right (an erasure, a vendor dropping a field), so publishing goes on.
"""
from __future__ import annotations

import datetime as dt
import json
import math

import pandas as pd

from ingestion.parsing import quote_ident

from .context import SAMPLE_SIZE, validate_frame
from .merge import error_message, json_safe
from .outcomes import WARNING, ExpectationOutcome
from .state import ensure_state
from .suites import declare_suite, expectation

HISTORY_RUNS = 5  # the recent runs a profile is compared with (their median)
KEEP_SHARE = 0.5  # volume: at least this share of the recent row count
MAX_MISSING_RISE = 0.25  # distribution: a column's share of missing values rises by at most this
FRESHNESS_COLUMNS = ("day", "month_start")  # else the first DATE column named *_date

ROWS, NEWEST, RISE = "row_count", "newest date", "missing share rise"
PARTS = ("volume", "distribution")  # one suite each, `<relation>.<part>`


def freshness_column(types: dict[str, str]) -> str | None:
    """The column that dates a row: a mart's grain, else its first `*_date` column."""
    return next((c for c in FRESHNESS_COLUMNS if c in types),
                next((c for c, t in types.items() if t == "DATE" and c.endswith("_date")), None))


def measure(con, relation: str, columns: list[str], dated_by: str | None) -> dict:
    """Row count, newest date (ISO text, None without a date column) and missing share by column."""
    counts = "".join(f", count({quote_ident(c)})" for c in columns)
    newest = f"CAST(CAST(max({quote_ident(dated_by)}) AS DATE) AS VARCHAR)" if dated_by else "NULL"
    rows, latest, *filled = con.execute(f"SELECT count(*), {newest}{counts} FROM {relation}").fetchall()[0]
    missing = {c: round(1 - n / rows, 6) for c, n in zip(columns, filled)} if rows else {}
    return {ROWS: rows, NEWEST: latest, "missing": missing}


def history(con, relation: str) -> list[dict]:
    """The relation's last profiles, newest first."""
    ensure_state(con)
    rows = con.execute("SELECT profile FROM validation.profiles WHERE relation = ? ORDER BY profiled_at DESC LIMIT ?",
                       [relation, HISTORY_RUNS]).fetchall()
    return [json.loads(row[0]) for row in rows]


def record(con, relation: str, run_id: str, profile: dict) -> None:
    ensure_state(con)
    con.execute("INSERT INTO validation.profiles VALUES (?, ?, ?, now()::TIMESTAMP)", [relation, run_id, json.dumps(profile)])


def _median(values):
    """The lower median: a value that occurred (dates as ISO text sort like dates)."""
    values = sorted(v for v in values if v is not None)
    return values[(len(values) - 1) // 2] if values else None


def _warning(column: str, notes: str, **bounds) -> dict:
    return {**expectation("expect_column_values_to_be_between", column=column, **bounds), "severity": WARNING, "notes": notes}


def volume_freshness(profile: dict, past: list[dict]) -> tuple[list[dict], pd.DataFrame]:
    """At least `KEEP_SHARE` of the recent row count; no older newest date than the recent one."""
    rows, newest = _median(p[ROWS] for p in past), _median(p[NEWEST] for p in past)
    configs = []
    if rows:
        configs.append(_warning(ROWS, f"volume: at least {KEEP_SHARE:.0%} of the recent row count ({rows})",
                                min_value=math.floor(rows * KEEP_SHARE)))
    if newest and profile[NEWEST]:
        configs.append(_warning(NEWEST, f"freshness: no older than the recent newest date ({newest})", min_value=newest))
    latest = dt.date.fromisoformat(profile[NEWEST]) if profile[NEWEST] else None  # GX compares dates with ISO bounds
    return configs, pd.DataFrame([{ROWS: profile[ROWS], NEWEST: latest}])


def distribution(profile: dict, past: list[dict]) -> tuple[list[dict], pd.DataFrame]:
    """Per column (the frame's index), the rise of its missing share over the recent median."""
    rise = {}
    for column, share in profile["missing"].items():
        recent = _median(p["missing"].get(column) for p in past)
        if recent is not None:
            rise[column] = round(share - recent, 6)
    if not rise:
        return [], pd.DataFrame()
    configs = [_warning(RISE, f"distribution: a column's share of missing values rises by at most {MAX_MISSING_RISE:.0%}",
                        max_value=MAX_MISSING_RISE)]
    return configs, pd.DataFrame({RISE: list(rise.values())}, index=pd.Index(list(rise), name="column"))


def profile_suite_name(relation: str, part: str) -> str:
    return f"{relation}.{part}"


def _outcomes(validation, by_index: bool) -> list[ExpectationOutcome]:
    """A one-frame result as outcomes; samples are the frame's index (column names) when `by_index`."""
    outcomes = []
    for res in validation.results:
        config, result = res.expectation_config, res.result or {}
        found = result.get("partial_unexpected_index_list" if by_index else "partial_unexpected_list") or []
        found = [v["column"] if by_index and isinstance(v, dict) else v for v in found]  # GX: {index name: value, ...}
        outcomes.append(ExpectationOutcome(
            config.type, config.kwargs["column"], bool(res.success), int(result.get("unexpected_count") or 0),
            int(result.get("element_count") or 0), tuple(json_safe(v) for v in found[:SAMPLE_SIZE]),
            error_message(res.exception_info), WARNING))
    return outcomes


def validate_profile(con, relation: str, columns: list[str], dated_by: str | None, run_id: str) -> list[ExpectationOutcome]:
    """Measure the relation, validate the profile against the recent ones, then record it."""
    profile = measure(con, relation, columns, dated_by)
    past = history(con, relation)
    record(con, relation, run_id, profile)
    outcomes = []
    for part, (configs, frame) in zip(PARTS, (volume_freshness(profile, past), distribution(profile, past))):
        if configs:
            suite = declare_suite(profile_suite_name(relation, part), configs)
            outcomes += _outcomes(validate_frame(frame, suite), by_index=part == "distribution")
    return outcomes
