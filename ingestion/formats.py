"""How a delivery file is written: encoding, delimiter, number and date conventions.

German exports (semicolon, decimal comma, dd.mm.yyyy, Windows-1252) arrive as often as clean
UTF-8 ones, so every file's options are detected from its own bytes and recorded with the load.
"""
from __future__ import annotations

import codecs
import gzip
import re
from dataclasses import asdict, dataclass
from pathlib import Path

SAMPLE_BYTES = 1 << 20


@dataclass(frozen=True)
class ParseOptions:
    encoding: str  # "utf-8", "utf-8-sig" or "cp1252"
    delimiter: str
    decimal: str
    thousands: str | None
    date_formats: tuple[str, ...]
    timestamp_formats: tuple[str, ...]
    # Naive timestamps are wall-clock time in this zone; ISO timestamps carry their own offset.
    source_timezone: str
    compression: str | None

    @property
    def profile(self) -> str:
        return "de" if self.delimiter == ";" else "generic"

    def as_dict(self) -> dict:
        return asdict(self)


GENERIC_DATES = ("%Y-%m-%d",)
GENERIC_TIMESTAMPS = ("%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")
GERMAN_DATES = ("%d.%m.%Y", "%d.%m.%y")
GERMAN_TIMESTAMPS = ("%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%y %H:%M:%S", "%d.%m.%y %H:%M")


def open_binary(path: Path):
    """Open a delivery for reading bytes, transparently decompressing `.gz`."""
    return gzip.open(path, "rb") if path.name.endswith(".gz") else open(path, "rb")


UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
HIGH_BYTES = bytes(range(0x80, 0x100))
ENCODING_SAMPLE_BYTES = 4 << 20


def mostly_utf8(path: Path) -> bool:
    """UTF-8 with a few broken bytes rather than Windows-1252: more valid multi-byte sequences
    than stray high bytes. Its broken lines are then rejected line by line, not mis-decoded."""
    with open_binary(path) as fh:
        sample = fh.read(ENCODING_SAMPLE_BYTES)  # the encoding is file-wide; a sample decides
    found = UTF8_SEQUENCE.findall(sample)
    high = len(sample) - len(sample.translate(None, HIGH_BYTES)) - sum(len(s) for s in found)
    return len(found) > high


def _decodes_strictly(path: Path) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    with open_binary(path) as fh:
        try:
            while chunk := fh.read(SAMPLE_BYTES):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def detect_encoding(path: Path, strict_utf8: bool | None = None) -> str:
    """UTF-8 if the file decodes strictly (BOM noted) or mostly, else Windows-1252.

    `strict_utf8` is the answer of a pass that already read the file (`files.file_facts`)."""
    if strict_utf8 is None:
        strict_utf8 = _decodes_strictly(path)
    if not strict_utf8:
        return "utf-8" if mostly_utf8(path) else "cp1252"
    with open_binary(path) as fh:
        bom = fh.read(3) == codecs.BOM_UTF8
    return "utf-8-sig" if bom else "utf-8"


def read_header_line(path: Path, encoding: str) -> str:
    with open_binary(path) as fh:
        raw = fh.readline()
    return raw.decode(encoding, errors="replace").lstrip("\ufeff").rstrip("\r\n")


def generic_options(path: Path) -> ParseOptions:
    """Conventions of self-describing formats (JSON, Parquet): ISO dates, UTC, decimal point."""
    return ParseOptions("utf-8", ",", ".", None, GENERIC_DATES, GENERIC_TIMESTAMPS, "UTC",
                        "gzip" if path.name.endswith(".gz") else None)


def detect_options(path: Path, strict_utf8: bool | None = None) -> ParseOptions:
    encoding = detect_encoding(path, strict_utf8)
    header = read_header_line(path, encoding)
    delimiter = ";" if header.count(";") > header.count(",") else ","
    german = delimiter == ";"
    return ParseOptions(
        encoding=encoding,
        delimiter=delimiter,
        decimal="," if german else ".",
        thousands="." if german else None,
        date_formats=GERMAN_DATES if german else GENERIC_DATES,
        timestamp_formats=GERMAN_TIMESTAMPS if german else GENERIC_TIMESTAMPS,
        source_timezone="Europe/Berlin" if german else "UTC",
        compression="gzip" if path.name.endswith(".gz") else None,
    )
