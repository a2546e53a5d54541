"""Rewrite delivery files without one person's records, keeping each file's format.

Encoding (UTF-8, UTF-8 with BOM, Windows-1252), delimiter, line endings, quoting of the kept lines
and gzip compression stay as delivered: kept records are copied byte for byte, only removed
records disappear. The new content is staged beside the file under a name the loader ignores
(`.<name>.erasing`) and renamed over the original only after the warehouse transaction commits
(see `privacy.erase`), so an interrupted erasure can be rolled forward or back.
"""
from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import openpyxl

from ingestion.detect import UnsupportedFormat, detect_options, sniff
from ingestion.files import file_facts
from ingestion.formats import open_binary
from privacy.matching import Identifiers

STAGED_SUFFIX = ".erasing"


class ErasureBlocked(RuntimeError):
    """A delivery holds the person's records but cannot be rewritten without them."""


@dataclass
class Rewrite:
    """A staged rewrite of one delivery: which records (physical line spans) were removed."""

    path: Path
    label: str
    staged: Path
    old_sha256: str
    new_sha256: str = ""
    size_bytes: int = 0
    removed_spans: list[tuple[int, int]] = field(default_factory=list)  # (first line, line count)

    @property
    def records_removed(self) -> int:
        return len(self.removed_spans)


def staged_path(path: Path) -> Path:
    return path.with_name(f".{path.name}{STAGED_SUFFIX}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _write(target: Path, data: bytes, gz: bool) -> None:
    with open(target, "wb") as fh:
        if gz:  # mtime 0 and no name: the same kept content always gives the same bytes
            with gzip.GzipFile(filename="", mode="wb", fileobj=fh, mtime=0) as zipped:
                zipped.write(data)
        else:
            fh.write(data)


def _physical_lines(text: str) -> list[str]:
    return io.StringIO(text, newline="").readlines()


def _filter_csv(path: Path, ids: Identifiers) -> tuple[bytes, list[tuple[int, int]], bool]:
    options = detect_options(path)
    with open_binary(path) as fh:
        text = fh.read().decode(options.encoding, errors="surrogateescape")
    lines = _physical_lines(text)
    reader = csv.reader(iter(lines), delimiter=options.delimiter)
    kept, removed, start = [], [], 0
    for record in reader:
        end = reader.line_num
        chunk = lines[start:end]
        if start > 0 and ids.matches(record):
            removed.append((start + 1, end - start))
        else:
            kept.extend(chunk)
        start = end
    data = "".join(kept).encode(options.encoding, errors="surrogateescape")
    return data, removed, options.compression == "gzip"


def _json_values(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _json_values(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_values(item)
    elif value is not None:
        yield value


def _filter_ndjson(path: Path, ids: Identifiers) -> tuple[bytes, list[tuple[int, int]], bool]:
    with open_binary(path) as fh:
        raw_lines = fh.read().splitlines(keepends=True)
    kept, removed = [], []
    for number, line in enumerate(raw_lines, start=1):
        try:
            values = list(_json_values(json.loads(line)))
        except ValueError:
            values = [line.decode("utf-8", errors="replace")]
        if ids.matches(values):
            removed.append((number, 1))
        else:
            kept.append(line)
    return b"".join(kept), removed, path.name.endswith(".gz")


def _stage_parquet(path: Path, staged: Path, ids: Identifiers) -> list[tuple[int, int]]:
    with duckdb.connect() as con:
        rel = con.execute("SELECT * FROM read_parquet(?)", [str(path)])
        names = [d[0] for d in rel.description]
        removed = [(i, 1) for i, row in enumerate(rel.fetchall(), start=1) if ids.matches(row)]
        if removed:
            drop = ", ".join(str(i) for i, _ in removed)
            cols = ", ".join(f'"{n.replace(chr(34), chr(34) * 2)}"' for n in names)
            con.execute(
                f"COPY (SELECT {cols} FROM (SELECT *, row_number() OVER () AS _n FROM read_parquet(?)) "
                f"WHERE _n NOT IN ({drop}) ORDER BY _n) TO '{str(staged).replace(chr(39), chr(39) * 2)}' (FORMAT parquet)",
                [str(path)],
            )
    return removed


def _workbook_holds(path: Path, ids: Identifiers) -> bool:
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return any(ids.matches(row) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True))
    finally:
        book.close()


def stage_rewrite(path: Path, label: str, ids: Identifiers) -> Rewrite | None:
    """Stage the file without the person's records; None when it holds none of them. The
    format is the one the loader detected (`ingestion.detect`)."""
    try:
        kind = sniff(path, file_facts(path)).format
    except UnsupportedFormat:
        return None  # the loader ignores such a file: none of its records reached the warehouse
    if kind == "xlsx":
        if _workbook_holds(path, ids):
            raise ErasureBlocked(f"{label}: this Excel workbook holds the person's records and is not rewritten "
                                 "automatically: delete their rows in Excel (or replace it by a CSV export), then erase again")
        return None
    rewrite = Rewrite(path, label, staged_path(path), _sha256(path))
    if kind == "parquet":
        rewrite.removed_spans = _stage_parquet(path, rewrite.staged, ids)
    else:
        reader = _filter_ndjson if kind == "ndjson" else _filter_csv
        data, rewrite.removed_spans, gz = reader(path, ids)
        if rewrite.removed_spans:
            _write(rewrite.staged, data, gz)
    if not rewrite.removed_spans:
        return None
    rewrite.new_sha256 = _sha256(rewrite.staged)
    rewrite.size_bytes = rewrite.staged.stat().st_size
    return rewrite
