"""Validate a query's rows against a named suite, chunk by chunk, and keep the result.

Memory stays bounded by `chunk_rows` whatever the query returns: rows stream from DuckDB as
Arrow batches, each becomes one pandas frame validated by GX, and only the summed counts are
kept. Whole-relation aggregates (uniqueness, row counts) cannot be chunked and belong in dbt tests.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

import duckdb

from ingestion.contract import Contract

from .chunks import iter_frames
from .context import validate_frame
from .docs import build_data_docs
from .merge import ChunkMerger
from .outcomes import SuiteResult
from .per_file import FileSplitter
from .screen import build_screen, drop_screen, screen_conditions
from .store import new_run_id, write_result
from .suites import get_suite, raw_suite_name

# One DuckDB row group: bigger chunks are no faster and cost more memory (BENCHMARKS.md,
# expectations/bench.py).
DEFAULT_CHUNK_ROWS = 122_880
# Behind the SQL screen, the rows GX validates besides the flagged ones, a cross-check of the
# screen: GX's datetime range checks run row by row in Python, so a sample keeps them cheap
# (BENCHMARKS.md).
DEFAULT_SAMPLE_ROWS = 10_000

# The rows of a list of delivery files (one query parameter: their SHA-256 hashes).
IN_FILES = "_file_sha256 IN (SELECT unnest(?::VARCHAR[]))"


def validate_relation(
    con: duckdb.DuckDBPyConnection,
    suite_name: str,
    query: str,
    *,
    params: Sequence | None = None,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    results_dir: Path | None = None,
    docs_dir: Path | None = None,
    run_id: str | None = None,
    scope: str = "",
    screen: bool = False,
    sample_rows: int = DEFAULT_SAMPLE_ROWS,
) -> SuiteResult:
    """Run suite `suite_name` on the rows of `query` (with `params`). With `screen`, GX sees the
    first `sample_rows` and the rows a SQL screen flags (`screen`), when every expectation has a
    translation.
    With `results_dir` the merged result is written as JSON; with `docs_dir` too, the Data Docs
    page is rebuilt."""
    suite = get_suite(suite_name)
    merger = ChunkMerger(suite)
    configs = [e.configuration for e in suite.expectations]
    conditions = screen_conditions(configs) if screen and configs else None
    if conditions is None:
        for frame in iter_frames(con, query, params, chunk_rows):
            merger.add(validate_frame(frame, suite), len(frame))
    else:
        _validate_screened(con, suite, configs, conditions, query, params, chunk_rows, sample_rows, merger)
    result = merger.result(suite_name, run_id=run_id or new_run_id(), scope=scope)
    if results_dir is not None:
        write_result(result, results_dir)
        if docs_dir is not None:
            build_data_docs(results_dir, docs_dir)
    return result


def _fold_unseen(merger: ChunkMerger, configs, total: int, seen: int, broken: list[int]) -> None:
    """The screen's rows GX did not see passed; GX must have found every row the screen flagged."""
    merger.add_rows(total - seen)
    for config, count in zip(configs, broken):
        merger.add_passed(config, total - seen)
        merger.confirm_count(config, count, by="the SQL screen")


def _validate_screened(con, suite, configs, conditions, query, params, chunk_rows, sample_rows, merger: ChunkMerger) -> None:
    groups, suspects_query = build_screen(con, query, params, conditions, sample_rows)
    try:
        seen = 0
        for frame in iter_frames(con, suspects_query, None, chunk_rows):
            merger.add(validate_frame(frame, suite), len(frame))
            seen += len(frame)
    finally:
        drop_screen(con)
    total, broken = groups.get(None, (0, [0] * len(conditions)))
    _fold_unseen(merger, configs, total, seen, broken)


def delivery_query(contract: Contract) -> str:
    """The contract's columns of the rows one delivery file loaded (lineage columns are not validated)."""
    columns = ", ".join(f'"{name}"' for name in contract.column_names)
    return f"SELECT {columns} FROM {contract.table} WHERE _file_sha256 = ?"


def _scope(file: str | None, file_sha256: str) -> str:
    return f"{file} (sha256 {file_sha256[:12]})" if file else f"sha256 {file_sha256[:12]}"


def validate_delivery(con: duckdb.DuckDBPyConnection, contract: Contract, file_sha256: str, **kw) -> SuiteResult:
    """Suite `raw.<entity>` on the rows of one delivery file, identified by its content hash;
    the result's scope names the file too, so a failure in the Data Docs points at it."""
    sql = f"SELECT any_value(_file) FROM {contract.table} WHERE _file_sha256 = ?"
    file = con.execute(sql, [file_sha256]).fetchall()[0][0]  # fetchall: DuckDB 2 rejects undrained results
    kw.setdefault("run_id", new_run_id(file_sha256[:12]))
    kw.setdefault("scope", _scope(file, file_sha256))
    return validate_relation(con, raw_suite_name(contract), delivery_query(contract), params=[file_sha256], **kw)


def _validate_deliveries_screened(con, contract, shas, suite, configs, conditions, chunk_rows, sample_rows,
                                  splitter: FileSplitter) -> None:
    """`validate_deliveries` with the SQL screen in front of GX; the screen counts per file."""
    groups, suspects_query = build_screen(con, deliveries_query(contract), [shas], conditions, sample_rows, by="_file_sha256")
    seen = dict.fromkeys(shas, 0)
    try:
        for frame in iter_frames(con, suspects_query, None, chunk_rows):
            files = frame.pop("_file_sha256")
            splitter.add(frame, files, validate_frame(frame, suite))
            for sha, rows in files.value_counts(sort=False).items():
                seen[sha] += int(rows)
    finally:
        drop_screen(con)
    for sha in shas:
        total, broken = groups.get(sha, (0, [0] * len(conditions)))
        _fold_unseen(splitter.mergers[sha], configs, total, seen[sha], broken)


def deliveries_query(contract: Contract) -> str:
    """The contract's columns and the file hash of the rows that a list of delivery files loaded."""
    columns = ", ".join(f'"{name}"' for name in contract.column_names)
    return f"SELECT {columns}, _file_sha256 FROM {contract.table} WHERE {IN_FILES}"


def validate_deliveries(
    con: duckdb.DuckDBPyConnection,
    contract: Contract,
    file_sha256s: Iterable[str],
    *,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    results_dir: Path | None = None,
    screen: bool = True,
    sample_rows: int = DEFAULT_SAMPLE_ROWS,
) -> tuple[SuiteResult, ...]:
    """Suite `raw.<entity>` on several delivery files in one chunked pass, one result per file
    (in the order given, scoped like `validate_delivery`'s); see `per_file` for how chunks that
    mix files are attributed, and `screen` for the SQL screen in front of GX (on unless turned
    off). With `results_dir`, each result is written as JSON, failed ones
    last, so the newest run of the suite in the Data Docs is a failed one whenever a file failed."""
    given = list(file_sha256s)
    shas = list(dict.fromkeys(given))
    if not shas:
        return ()
    sql = f"SELECT _file_sha256, any_value(_file) FROM {contract.table} WHERE {IN_FILES} GROUP BY ALL"
    names = dict(con.execute(sql, [shas]).fetchall())
    suite_name = raw_suite_name(contract)
    suite = get_suite(suite_name)
    splitter = FileSplitter(suite, shas, validate_frame)
    configs = [e.configuration for e in suite.expectations]
    conditions = screen_conditions(configs) if screen and configs else None
    if conditions is None:
        for frame in iter_frames(con, deliveries_query(contract), [shas], chunk_rows):
            files = frame.pop("_file_sha256")
            splitter.add(frame, files, validate_frame(frame, suite))
    else:
        _validate_deliveries_screened(con, contract, shas, suite, configs, conditions, chunk_rows, sample_rows, splitter)
    results = {sha: merger.result(suite_name, run_id="", scope=_scope(names.get(sha), sha))
               for sha, merger in splitter.mergers.items()}
    for sha in sorted(shas, key=lambda sha: not results[sha].success):
        results[sha] = replace(results[sha], run_id=new_run_id(sha[:12]))
        if results_dir is not None:
            write_result(results[sha], results_dir)
    return tuple(results[sha] for sha in given)
