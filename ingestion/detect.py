"""The one detection step: what kind of file a delivery is, decided once from its first bytes.

Names lie (an `.csv` that Excel wrote as `.xls`, a `.txt` that is UTF-16), magic bytes do not:
zip (an Excel workbook), Parquet, old Office, PDF, then for text the BOM, a JSON object at the
start and the delimiter of the first line. A file that is none of the supported kinds raises
`UnsupportedFormat`, whose message tells the user what to deliver instead.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ingestion.files import FileFacts, file_facts
from ingestion.formats import ParseOptions, text_encoding, text_options

DELIMITERS = (",", ";", "\t", "|")  # on a tie the first wins
TEXT_FORMATS = {",": "csv", ";": "csv", "\t": "tsv", "|": "psv"}
QUOTED = re.compile(r'"[^"]*"')
SIGNATURES = (  # magic bytes of files people save by mistake, and what to do instead
    (b"\xd0\xcf\x11\xe0", "an old binary Excel (.xls) or Office file: save it as .xlsx or CSV"),
    (b"%PDF", "a PDF document: export the data as CSV or .xlsx"),
    (b"PK\x03\x04", "a zip archive that is no Excel workbook: unpack it and deliver the CSV or .xlsx files"),
)


class UnsupportedFormat(Exception):
    """A file that is no delivery format; the message says what it is and what to deliver."""


@dataclass(frozen=True)
class Sniffed:
    format: str  # csv | tsv | psv | utf16-text | xlsx | ndjson | parquet
    compression: str | None
    encoding: str = "utf-8"
    delimiter: str = ","

    def text_options(self, sample: str) -> ParseOptions:
        return text_options(self.encoding, self.delimiter, self.compression, sample)


def _is_workbook(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def delimiter_of(line: str) -> str:
    """The candidate found most often outside quotes in the (header) line."""
    bare = QUOTED.sub("", line)
    return max(DELIMITERS, key=bare.count)


def head_text(facts: FileFacts, encoding: str) -> str:
    text = facts.head.decode(encoding, errors="replace").lstrip("\ufeff")
    return text[:-1] if text.endswith("\ufffd") else text  # the head may end inside a character


def sniff(path: Path, facts: FileFacts) -> Sniffed:
    head = facts.head
    if facts.compression is None and head.startswith(b"PK\x03\x04") and _is_workbook(path):
        return Sniffed("xlsx", None)
    if facts.compression is None and head.startswith(b"PAR1"):
        return Sniffed("parquet", None)
    for magic, what in SIGNATURES:
        if head.startswith(magic):
            raise UnsupportedFormat(what + (" (it was gzip-compressed)" if facts.compression else ""))
    encoding = text_encoding(path, head, facts.strict_utf8)
    if head.count(b"\x00") * 100 > len(head) and not encoding.startswith("utf-16"):  # a stray NUL is a bad line
        raise UnsupportedFormat("a binary file (it holds NUL bytes): deliver CSV, tab-separated or UTF-16 text with a BOM, .xlsx, NDJSON or Parquet")
    text = head_text(facts, encoding)
    start = text.lstrip()[:1]
    if start == "{" and not encoding.startswith("utf-16"):
        return Sniffed("ndjson", facts.compression)
    if start == "[":
        raise UnsupportedFormat("a JSON array: deliver one JSON object per line (NDJSON)")
    delimiter = delimiter_of(io.StringIO(text, newline="").readline())
    kind = "utf16-text" if encoding.startswith("utf-16") else TEXT_FORMATS[delimiter]
    return Sniffed(kind, facts.compression, encoding, delimiter)


def detect_options(path: Path) -> ParseOptions:
    """Encoding, delimiter and conventions of a delimited text delivery (for rewriting it)."""
    facts = file_facts(path)
    sniffed = sniff(path, facts)
    if sniffed.format in ("xlsx", "ndjson", "parquet"):
        raise UnsupportedFormat(f"{path.name}: a {sniffed.format} file, not delimited text")
    return sniffed.text_options(head_text(facts, sniffed.encoding))
