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
from .store import new_run_id, write_result
from .suites import get_suite, raw_suite_name

# One DuckDB row group: 1M raw.orders-shaped rows validate in ~2.2 s with ~150 MB above a warm
# process; bigger chunks are no faster and cost ~420 B per row more (see expectations/bench.py).
DEFAULT_CHUNK_ROWS = 122_880

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
) -> SuiteResult:
    """Run suite `suite_name` on the rows of `query` (with `params`). With `results_dir` the
    merged result is written as JSON; with `docs_dir` too, the Data Docs page is rebuilt."""
    suite = get_suite(suite_name)
    merger = ChunkMerger(suite)
    for frame in iter_frames(con, query, params, chunk_rows):
        merger.add(validate_frame(frame, suite), len(frame))
    result = merger.result(suite_name, run_id=run_id or new_run_id(), scope=scope)
    if results_dir is not None:
        write_result(result, results_dir)
        if docs_dir is not None:
            build_data_docs(results_dir, docs_dir)
    return result


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
) -> tuple[SuiteResult, ...]:
    """Suite `raw.<entity>` on several delivery files in one chunked pass, one result per file
    (in the order given, scoped like `validate_delivery`'s); see `per_file` for how chunks that
    mix files are attributed. With `results_dir`, each result is written as JSON, failed ones
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
    for frame in iter_frames(con, deliveries_query(contract), [shas], chunk_rows):
        files = frame.pop("_file_sha256")
        splitter.add(frame, files, validate_frame(frame, suite))
    results = {sha: merger.result(suite_name, run_id="", scope=_scope(names.get(sha), sha))
               for sha, merger in splitter.mergers.items()}
    for sha in sorted(shas, key=lambda sha: not results[sha].success):
        results[sha] = replace(results[sha], run_id=new_run_id(sha[:12]))
        if results_dir is not None:
            write_result(results[sha], results_dir)
    return tuple(results[sha] for sha in given)
