"""Failed dbt tests as problems: the test, the model and column, the failing rows and how to see them;
and models dbt could not build, with their error.

dbt writes `run_results.json` and `manifest.json` into the target folder of every invocation. A
failed test's result holds its failing row count and compiled query; the manifest says which
model and column it tests. The query's first rows become the examples, so the console shows
the offending values without anyone opening the warehouse.
"""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import duckdb

from ingestion.dbt_values import accepted_values

from .problem import MAX_EXAMPLES, Example, Problem

FAILED = {"fail": True, "error": True, "warn": False}  # status -> blocking


def recent_run_results(dbt_target: Path, since: datetime | None) -> list[Path]:
    """`run_results.json` of every invocation under `dbt_target` written since `since`."""
    cutoff = since.timestamp() if since else float("-inf")
    found = [*Path(dbt_target).glob("run_results.json"), *Path(dbt_target).glob("*/run_results.json")]
    return sorted(p for p in found if p.stat().st_mtime >= cutoff)


def _examples(con, compiled_code: str | None) -> tuple[Example, ...]:
    """The first column of the test's failing rows, distinct, as dbt's query returns them."""
    if not compiled_code:
        return ()
    try:
        rows = con.execute(f"SELECT DISTINCT * FROM ({compiled_code}) LIMIT {MAX_EXAMPLES}").fetchall()
    except duckdb.Error:  # a query that needs dbt's own session (e.g. temp objects): the hint still names it
        return ()
    return tuple(Example(None if row[0] is None else str(row[0])) for row in rows)


def _todo(node: dict, model: str, column: str | None, compiled: Path) -> str:
    test = node.get("test_metadata") or {}
    kwargs, kind = test.get("kwargs", {}), test.get("name", "")
    see = f"the failing rows are what {compiled} returns on the warehouse"
    if kind == "accepted_values":
        what = f"{model}.{column} may only hold {', '.join(accepted_values(kwargs.get('values', [])))}"
    elif kind == "unique":
        what = f"{model}.{column} repeats values that must be unique"
    elif kind == "not_null":
        what = f"{model}.{column} is empty where it must not be"
    elif kind == "relationships":
        what = f"{model}.{column} refers to values missing from {kwargs.get('to', 'its parent')}.{kwargs.get('field', '')}"
    elif kind == "relationships_share":
        what = (f"more rows of {model} than var orphan_share_threshold allows refer to values missing from "
                f"{kwargs.get('to', 'its parent')}.{kwargs.get('field', '')} (orphans, listed in marts.orphan_rows)")
    else:
        what = f"rows of {model} break the test {node.get('name')}"
    return (f"{what}; {see}. Correct the deliveries those rows come from, or the model "
            f"({node.get('original_file_path', 'dbt_project/models')}) if the deliveries are right")


def _test_problem(con, result: dict, nodes: dict, target: Path) -> Problem:
    uid, status = result["unique_id"], result["status"]
    node = nodes.get(uid, {})
    parent = nodes.get(node.get("attached_node") or "", {})
    model = f"{parent['schema']}.{parent['name']}" if parent else uid.split(".")[2]
    column = node.get("column_name")
    compiled = target / "compiled" / node.get("package_name", "") / node.get("original_file_path", "") / node.get("path", "")
    count = result.get("failures")
    rule = f"dbt test {node.get('name', uid)} {status}ed" + (f": {count} failing rows" if count else f": {result.get('message')}")
    return Problem(model, rule, _todo(node, model, column, compiled), column=column,
                   examples=_examples(con, result.get("compiled_code")), blocking=FAILED[status], found_by="dbt build")


def _node_problem(result: dict, nodes: dict) -> Problem:
    """A model, seed or snapshot dbt could not build: its error, and where its SQL is."""
    uid = result["unique_id"]
    node = nodes.get(uid, {})
    where = f"{node['schema']}.{node['name']}" if node else uid
    message = (result.get("message") or "error").strip()
    todo = (f"read the error (the full text is in the refresh's log file) and correct "
            f"dbt_project/{node.get('original_file_path', '')} or the data it reads; models that depend on it were skipped")
    return Problem(where, f"dbt could not build it: {message}", todo, found_by="dbt build")


def dbt_problems(con, run_results: list[Path]) -> list[Problem]:
    """Failed and warning tests, and models (seeds, snapshots) that failed to build."""
    problems = []
    for path in run_results:
        results = json.loads(path.read_text(encoding="utf-8"))["results"]
        manifest_path = path.with_name("manifest.json")
        nodes = json.loads(manifest_path.read_text(encoding="utf-8"))["nodes"] if manifest_path.exists() else {}
        for result in results:
            if result["unique_id"].startswith("test.") and result["status"] in FAILED:
                problems.append(_test_problem(con, result, nodes, path.parent))
            elif result["status"] == "error":
                problems.append(_node_problem(result, nodes))
    return problems
