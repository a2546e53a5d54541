"""Byte-level facts about a delivery: fingerprint, encoding, line count; UTF-8 copies for DuckDB.

DuckDB reads only UTF-8 here (its encodings extension would have to be downloaded), so a
Windows-1252 file is transcoded in a streaming pass before DuckDB sees it.
"""
from __future__ import annotations

import codecs
import csv
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from ingestion.formats import SAMPLE_BYTES, open_binary


@dataclass(frozen=True)
class FileFacts:
    sha256: str
    size_bytes: int


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(SAMPLE_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def count_lines(path: Path) -> int:
    lines, last = 0, b"\n"
    with open_binary(path) as fh:
        while chunk := fh.read(SAMPLE_BYTES):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    return lines + (0 if last == b"\n" else 1)


def file_facts(path: Path) -> FileFacts:
    return FileFacts(sha256=sha256_of(path), size_bytes=path.stat().st_size)


def utf8_copy(path: Path, encoding: str, tmp_dir: Path) -> Path:
    """A UTF-8 file DuckDB can read: the delivery itself when it already is UTF-8."""
    if encoding in ("utf-8", "utf-8-sig"):
        return path
    target = tmp_dir / (path.name.removesuffix(".gz") + ".utf8.csv")
    decoder = codecs.getincrementaldecoder(encoding)("replace")
    with open_binary(path) as src, open(target, "w", encoding="utf-8", newline="") as dst:
        while chunk := src.read(SAMPLE_BYTES):
            dst.write(decoder.decode(chunk))
        dst.write(decoder.decode(b"", final=True))
    return target


def record_start_lines(path: Path, delimiter: str, skip: int = 0) -> list[int]:
    """Physical line on which each data record starts (slow path for multi-line quoted fields)."""
    starts: list[int] = []
    with open_binary(path) as fh:
        text = io.TextIOWrapper(fh, encoding="utf-8", errors="replace", newline="")
        for _ in range(skip):
            text.readline()
        reader = csv.reader(text, delimiter=delimiter, quotechar='"', doublequote=True)
        previous_end = skip
        for row in reader:
            if row:
                starts.append(previous_end + 1)
            previous_end = reader.line_num
    return starts[1:]  # the header is not a data record
