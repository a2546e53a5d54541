"""Failed Great Expectations suites as problems, traced back to the delivery file and line.

A stored result says which expectation failed on which column, with sample values, but not
where the rows are. The row expectations GX runs have a SQL form (`expectations.screen`), so the
offending rows are found again in the relation, and its lineage columns (`_file`, `_line`, in raw
and in staging) name the line in the delivery. Marts have no lineage: their problems name the
mart and the values. A failed profile expectation (volume, freshness, distribution) is a warning
about the whole relation: it names the measure and the value.
"""
from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

from expectations.outcomes import WARNING, ExpectationOutcome, SuiteResult
from expectations.profile import HISTORY_RUNS, PARTS, profile_suite_name
from expectations.screen import violation_sql
from expectations.suites import get_suite
from ingestion.parsing import quote_ident

from .problem import MAX_EXAMPLES, Example, Problem

RULES = {
    "expect_column_values_to_not_be_null": "value missing",
    "expect_column_values_to_be_in_set": "value not allowed",
    "expect_column_values_to_be_between": "value out of range",
    "expect_column_values_to_be_in_type_list": "value not a number",
}
RAW_SCOPE = re.compile(r"^(?P<file>.*) \(sha256 (?P<sha>[0-9a-f]+)\)$")


def recent_results(results_dir: Path, since: datetime | None) -> list[SuiteResult]:
    """Results written since `since` (all when None), oldest first."""
    root = Path(results_dir)
    paths = sorted(root.glob("*/*.json")) if root.is_dir() else []
    cutoff = since.timestamp() if since else float("-inf")
    return [SuiteResult.from_dict(json.loads(p.read_text(encoding="utf-8"))) for p in paths if p.stat().st_mtime >= cutoff]


def _config(suite_name: str, outcome: ExpectationOutcome) -> dict | None:
    """The expectation's configuration, if the suite is known in this process (raw suites always are)."""
    try:
        suite = get_suite(suite_name)
    except KeyError:
        return None
    for expectation in suite.expectations:
        config = expectation.configuration.to_json_dict()
        if config["type"] == outcome.expectation and config["kwargs"].get("column") == outcome.column:
            return config
    return None


def _profile_todo(result: SuiteResult, outcome: ExpectationOutcome) -> str:
    configs = (_config(profile_suite_name(result.suite_name, part), outcome) for part in PARTS)
    what = next((c["notes"] for c in configs if c and c.get("notes")), "within the range of the recent runs")
    found = ", ".join(str(v) for v in outcome.sample)
    return (f"expected {what}, found {found}: check that the recent deliveries are complete and the model is right; "
            f"a lasting change becomes the norm after {HISTORY_RUNS // 2 + 1} runs")


def _offending(con, relation: str, config: dict | None, scope: tuple[str, list]) -> tuple[Example, ...]:
    """Up to five distinct offending values with their first line (and file, beyond raw)."""
    condition = violation_sql(config) if config else None
    columns = {row[0] for row in con.execute(f"DESCRIBE {relation}").fetchall()}
    if condition in (None, "false") or not {"_file", "_line"} <= columns:
        return ()
    where, params = scope
    column = quote_ident(config["kwargs"]["column"])
    rows = con.execute(
        f"SELECT v, first_at.f, first_at.l FROM (SELECT {column}::VARCHAR AS v, min({{'f': _file, 'l': _line}}) AS first_at "
        f"FROM {relation} WHERE ({condition}) {where} GROUP BY v) ORDER BY first_at LIMIT {MAX_EXAMPLES}", params).fetchall()
    return tuple(Example(value, line, file) for value, file, line in rows)


def _mapping_of(con, file: str) -> str | None:
    rows = con.execute("SELECT arg_max(parse_options, loaded_at) FROM raw._loads WHERE file = ?", [file]).fetchall()
    return json.loads(rows[0][0] or "{}").get("mapping") if rows else None


def _todo(outcome: ExpectationOutcome, config: dict | None, mapping: str | None, stage: str) -> str:
    kwargs = (config or {}).get("kwargs", {})
    column = outcome.column
    fix = "correct them in the export and save the file again" if stage == "raw" else (
        "correct them in the delivery each line names, or, if the deliveries are right, the dbt model that builds it")
    if outcome.error:
        return f"the check could not run ({outcome.error}); check that the column {column} exists"
    if outcome.expectation == "expect_column_values_to_be_in_set":
        allowed = ", ".join(str(v) for v in kwargs.get("value_set", ())) or "see the contract"
        where = (f"ingestion/mappings/{mapping}.yaml under `values: {column}:`" if mapping
                 else "a vendor mapping's `values:` (README: 'Vendor exports')")
        return (f"use one of the allowed values ({allowed}); if these are the vendor's own words for them, "
                f"translate each in {where}, e.g. `<vendor value>: <allowed value>`; or {fix}")
    if outcome.expectation == "expect_column_values_to_be_between":
        low, high = kwargs.get("min_value"), kwargs.get("max_value")
        bounds = " and ".join(filter(None, [low is not None and f"at least {low}", high is not None and f"at most {high}"]))
        why = f" ({config['notes']})" if config and config.get("notes") else ""
        return f"values must be {bounds or 'in range'}{why}: {fix}"
    if outcome.expectation == "expect_column_values_to_not_be_null":
        return f"{column} is a key or required column: fill it in on these lines; {fix}"
    if outcome.expectation.startswith("sql:"):
        return f"inspect {outcome.expectation.removeprefix('sql:')} of this relation: {fix}"
    return f"these values break {outcome.expectation}: {fix}"


def suite_problems(con, results: list[SuiteResult]) -> list[Problem]:
    """One problem per failed expectation of every failed result."""
    problems = []
    for result in (r for r in results if not r.success):
        stage = result.suite_name.split(".", 1)[0]
        scoped = RAW_SCOPE.match(result.scope or "") if stage == "raw" else None
        where, scope, mapping = result.suite_name, ("", []), None
        if scoped:
            where = scoped["file"]
            scope = ("AND _file = ? AND starts_with(_file_sha256, ?)", [scoped["file"], scoped["sha"]])
            mapping = _mapping_of(con, where)
        for outcome in result.failures:
            if outcome.severity == WARNING:
                problems.append(Problem(where, f"{outcome.column} outside its recent range", _profile_todo(result, outcome),
                                        blocking=False, found_by=f"Great Expectations suite {result.suite_name} (warning)"))
                continue
            config = _config(result.suite_name, outcome)
            examples = _offending(con, result.suite_name, config, scope) if config else ()
            if scoped:  # the rows are in this one file: its line numbers need no file name
                examples = tuple(e._replace(file=None) for e in examples)
            examples = examples or tuple(Example(str(v)) for v in outcome.sample)
            rule = (f"{RULES.get(outcome.expectation, outcome.expectation)}: {outcome.unexpected_count} of "
                    f"{outcome.element_count} rows ({outcome.expectation})")
            # A delivery file failing the raw suite is held back (ingestion.holdback): the refresh goes on.
            problems.append(Problem(where, rule, _todo(outcome, config, mapping, stage), column=outcome.column,
                                    line=examples[0].line if scoped and examples else None, examples=examples,
                                    blocking=not scoped, found_by=f"Great Expectations suite {result.suite_name}"))
    return problems
