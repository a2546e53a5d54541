"""Byte-level facts about a delivery, from one read: fingerprint, line count, UTF-8 validity,
its first and last bytes; UTF-8 copies for DuckDB.

The first bytes (`head`) are all that format detection, the header and a preamble need, so a
delivery is opened once before DuckDB reads it. A gzip file is recognised by its magic bytes and
described by its content; its compressed bytes are hashed as the decompressor reads them.
DuckDB reads only UTF-8 here (its encodings extension would have to be downloaded), so a
Windows-1252 or UTF-16 file is transcoded in a streaming pass before DuckDB sees it.
"""
from __future__ import annotations

import codecs
import csv
import gzip
import hashlib
import io
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ingestion.formats import SAMPLE_BYTES, open_binary

# Small enough to stay in the CPU's cache while hashing, counting and the ASCII check each read
# it (measured in BENCHMARKS.md).
BLOCK_BYTES = 256 << 10
HEAD_BYTES = SAMPLE_BYTES
TAIL_BYTES = 64
GZIP_MAGIC = b"\x1f\x8b"
CTRL_Z = "\x1a"  # DOS end-of-file mark some Windows tools still append
_BLANK = b"\r\n\t \x00"  # may follow the Ctrl-Z (UTF-16 spreads characters over NUL bytes)


@dataclass(frozen=True)
class FileFacts:
    sha256: str
    size_bytes: int
    lines: int = 0  # of the content (decompressed)
    strict_utf8: bool = False
    head: bytes = b""  # the content's first HEAD_BYTES
    tail: bytes = b""  # and its last TAIL_BYTES
    compression: str | None = None  # "gzip" or None
    error: str | None = None  # why the content could not be read (a broken gzip stream)

    @property
    def ends_with_ctrl_z(self) -> bool:
        return self.tail.rstrip(_BLANK).endswith(CTRL_Z.encode())


def _newlines(chunk: bytes) -> int:
    """numpy compares a vector of bytes at a time, faster than `bytes.count` (BENCHMARKS.md)."""
    return int(np.count_nonzero(np.frombuffer(chunk, np.uint8) == 10))


class _Hashing:
    """A binary file that hashes what is read from it (the compressed bytes gzip reads)."""

    def __init__(self, fh):
        self.fh, self.digest, self.mode = fh, hashlib.sha256(), "rb"

    def read(self, size: int = -1) -> bytes:
        data = self.fh.read(size)
        self.digest.update(data)
        return data

    def drain(self) -> str:
        while self.read(BLOCK_BYTES):
            pass
        return self.digest.hexdigest()


def _content_facts(first: bytes, stream, digest) -> tuple[int, bool, bytes, bytes]:
    """Lines, UTF-8 validity, head and tail of the content, starting with its `first` block."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    lines, head, tail, utf8 = 0, b"", b"", True
    chunk = first
    while chunk:
        if digest is not None:
            digest.update(chunk)
        lines += _newlines(chunk)
        if len(head) < HEAD_BYTES:
            head += chunk[: HEAD_BYTES - len(head)]
        tail = chunk[-TAIL_BYTES:] if len(chunk) >= TAIL_BYTES else (tail + chunk)[-TAIL_BYTES:]
        if utf8 and not (chunk.isascii() and decoder.getstate()[0] == b""):  # ASCII needs no decoding
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                utf8 = False
        chunk = stream.read(BLOCK_BYTES)
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    return lines + (0 if tail[-1:] in (b"\n", b"") else 1), utf8, head, tail


def file_facts(path: Path) -> FileFacts:
    """Fingerprint and size of the file, and the facts about its (decompressed) content."""
    size = path.stat().st_size
    with open(path, "rb") as fh:
        first = fh.read(BLOCK_BYTES)
        if not first.startswith(GZIP_MAGIC):
            digest = hashlib.sha256()
            facts = _content_facts(first, fh, digest)
            return FileFacts(digest.hexdigest(), size, *facts)
        fh.seek(0)
        hashing = _Hashing(fh)
        try:
            with gzip.GzipFile(fileobj=hashing, mode="rb") as content:
                facts = _content_facts(content.read(BLOCK_BYTES), content, None)
        except (OSError, EOFError, zlib.error) as exc:
            return FileFacts(hashing.drain(), size, compression="gzip", error=f"its gzip stream is broken ({exc})")
        return FileFacts(hashing.drain(), size, *facts, compression="gzip")


def utf8_copy(path: Path, encoding: str, tmp_dir: Path, facts: FileFacts | None = None) -> tuple[Path, int | None]:
    """A UTF-8 file DuckDB can read, with its line count when it is a copy. The delivery itself
    when it already is UTF-8 and does not end with a Ctrl-Z; a copy leaves out everything from
    a trailing Ctrl-Z on (a line of its own or the last byte)."""
    if encoding in ("utf-8", "utf-8-sig") and not (facts and facts.ends_with_ctrl_z):
        return path, None
    target = tmp_dir / (path.name.removesuffix(".gz") + ".utf8.csv")
    decoder = codecs.getincrementaldecoder(encoding)("replace")
    lines, carry, last = 0, "", ""
    with open_binary(path, facts.compression == "gzip" if facts else None) as src, \
            open(target, "w", encoding="utf-8", newline="") as dst:
        while chunk := src.read(SAMPLE_BYTES):
            text = carry + decoder.decode(chunk)
            if not last:
                text = text.removeprefix("\ufeff")  # a BOM is not content (utf-16-le/-be keep it)
            body = text.rstrip(CTRL_Z + "\r\n\t ")  # held back until it is known not to be the end
            carry = text[len(body):]
            dst.write(body)
            lines += body.count("\n")
            last = body[-1:] or last
        carry = (carry + decoder.decode(b"", final=True)).split(CTRL_Z, 1)[0]
        dst.write(carry)
        lines += carry.count("\n")
        last = carry[-1:] or last
    return target, lines + (0 if last in ("\n", "") else 1)


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
