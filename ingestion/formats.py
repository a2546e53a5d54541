"""How a delivery file is written: encoding, delimiter, number and date conventions.

German exports (semicolon, decimal comma, dd.mm.yyyy, Windows-1252) arrive as often as clean
UTF-8 ones, so every file's options are detected from its own bytes and recorded with the load.
"""
from __future__ import annotations

import codecs
import gzip
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


def detect_encoding(path: Path) -> str:
    """UTF-8 if the whole file decodes strictly (BOM noted), else Windows-1252."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    with open_binary(path) as fh:
        head = fh.read(3)
        bom = head == codecs.BOM_UTF8
        try:
            decoder.decode(head)
            while chunk := fh.read(SAMPLE_BYTES):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8-sig" if bom else "utf-8"


def read_header_line(path: Path, encoding: str) -> str:
    with open_binary(path) as fh:
        raw = fh.readline()
    return raw.decode(encoding, errors="replace").lstrip("\ufeff").rstrip("\r\n")


def generic_options(path: Path) -> ParseOptions:
    """Conventions of self-describing formats (JSON, Parquet): ISO dates, UTC, decimal point."""
    return ParseOptions("utf-8", ",", ".", None, GENERIC_DATES, GENERIC_TIMESTAMPS, "UTC",
                        "gzip" if path.name.endswith(".gz") else None)


def detect_options(path: Path) -> ParseOptions:
    encoding = detect_encoding(path)
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
