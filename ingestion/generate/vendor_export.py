"""One vendor export file as the tool writes it: its own header, quoting, encoding, preamble.

The layouts (vendor_hubspot, vendor_salesforce, vendor_datev, vendor_social) build these from
seeded draws; `vendor_files` decides where they go.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class VendorFile:
    """One vendor export: the mappings that read it, its name, and its text as the tool writes it."""

    mappings: tuple[str, ...]
    name: str
    header: list[str]
    rows: list[list[str]]
    encoding: str = "utf-8"
    delimiter: str = ","
    quote_all: bool = False
    preamble: list[str] = field(default_factory=list)  # lines before the header, already formatted


def write_export(path: Path, export: VendorFile) -> None:
    quoting = csv.QUOTE_ALL if export.quote_all else csv.QUOTE_MINIMAL
    with open(path, "w", encoding=export.encoding, errors="strict", newline="") as fh:
        for line in export.preamble:
            fh.write(line + "\r\n")
        writer = csv.writer(fh, delimiter=export.delimiter, quoting=quoting, lineterminator="\r\n")
        writer.writerow(export.header)
        writer.writerows(export.rows)
