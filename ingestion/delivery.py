"""A delivery as the loader hands it to a reader (`Incoming`), and as the reader hands it back
(`Delivery`): its header, the vendor mapping it matched, its parse options and its source."""
from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ingestion.detect import Sniffed
from ingestion.files import FileFacts
from ingestion.formats import ParseOptions
from ingestion.mapping import VendorMapping
from ingestion.scan import STAGE, Scan, Source


@dataclass(frozen=True)
class Incoming:
    """One delivery file as every reader gets it: detected once, with its facts."""

    path: Path
    label: str  # path relative to the landing zone, for messages and lineage
    facts: FileFacts
    sniffed: Sniffed
    tmp_dir: Path  # lives until the load is done (UTF-8 copies)


@dataclass(frozen=True)
class Delivery:
    header: list[str]
    mapping: VendorMapping | None
    options: ParseOptions
    source: Source
    # Counts and LINES, given how many records reading the source gave (text knows them only then).
    complete: Callable[[object, int], Scan]
    header_line: int  # physical line of the header (0 for formats without one)
    details: dict = dataclasses.field(default_factory=dict)  # recorded with the load, e.g. the sheet


def with_overrides(options: ParseOptions, mapping: VendorMapping | None) -> ParseOptions:
    return dataclasses.replace(options, **mapping.parse) if mapping else options


def staged(header: list[str], mapping: VendorMapping | None, options: ParseOptions, scanned: Scan,
           header_line: int, details: dict | None = None) -> Delivery:
    """A delivery its reader already put into STAGE and counted."""
    return Delivery(header, mapping, options, Source(STAGE), lambda con, rows: scanned, header_line, details or {})
