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
    encoding: str  # "utf-8", "utf-8-sig", "cp1252", "utf-16-le" or "utf-16-be"
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
        return "de" if self.decimal == "," else "generic"

    def as_dict(self) -> dict:
        return asdict(self)


GENERIC_DATES = ("%Y-%m-%d",)
GENERIC_TIMESTAMPS = ("%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")
GERMAN_DATES = ("%d.%m.%Y", "%d.%m.%y")
GERMAN_TIMESTAMPS = ("%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%y %H:%M:%S", "%d.%m.%y %H:%M")
GERMAN_DATE = re.compile(r"(?<![\d.])\d{1,2}\.\d{1,2}\.\d{2,4}(?![\d.])")
ISO_DATE = re.compile(r"(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)")


def open_binary(path: Path, gzipped: bool | None = None):
    """Open a delivery for reading bytes, decompressing gzip (recognised by its magic bytes
    unless the caller knows)."""
    if gzipped is None:
        with open(path, "rb") as fh:
            gzipped = fh.read(2) == b"\x1f\x8b"
    return gzip.open(path, "rb") if gzipped else open(path, "rb")


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


def text_encoding(path: Path, head: bytes, strict_utf8: bool) -> str:
    """UTF-16 by its BOM (Excel's "Unicode text"); UTF-8 if the file decodes strictly (BOM
    noted) or mostly; else Windows-1252. `strict_utf8` comes from a pass that read the file."""
    if head.startswith(codecs.BOM_UTF16_LE):
        return "utf-16-le"
    if head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16-be"
    if not strict_utf8:
        return "utf-8" if mostly_utf8(path) else "cp1252"
    return "utf-8-sig" if head.startswith(codecs.BOM_UTF8) else "utf-8"


def detect_encoding(path: Path) -> str:
    with open_binary(path) as fh:
        head = fh.read(4)
    return text_encoding(path, head, _decodes_strictly(path))


def _german_sample(sample: str) -> bool:
    """Tab- and pipe-separated files say nothing by their delimiter: German dates decide."""
    return len(GERMAN_DATE.findall(sample)) > len(ISO_DATE.findall(sample))


def generic_options(compression: str | None = None) -> ParseOptions:
    """Conventions of self-describing formats (JSON, Parquet, Excel): ISO dates, UTC, decimal point."""
    return ParseOptions("utf-8", ",", ".", None, GENERIC_DATES, GENERIC_TIMESTAMPS, "UTC", compression)


def text_options(encoding: str, delimiter: str, compression: str | None, sample: str) -> ParseOptions:
    """Semicolon files follow German conventions, comma files generic ones; tab and pipe files
    follow whichever their dates show."""
    if not (delimiter == ";" or (delimiter in "\t|" and _german_sample(sample))):
        return ParseOptions(encoding, delimiter, ".", None, GENERIC_DATES, GENERIC_TIMESTAMPS, "UTC", compression)
    return ParseOptions(encoding, delimiter, ",", ".", GERMAN_DATES, GERMAN_TIMESTAMPS, "Europe/Berlin", compression)
