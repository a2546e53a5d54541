"""The header of a delivery with a header row (text, Excel) and the vendor mapping it matches.

Vendor headers may follow a preamble (DATEV's EXTF line), so when the first row matches no
mapping, the header is looked for after as many rows as the entity's mappings skip.
"""
from __future__ import annotations

from collections.abc import Callable

from ingestion.mapping import VendorMapping, find_mapping, load_mappings
from ingestion.scan import DeliveryError


def checked_header(names: list[str], where: str) -> list[str]:
    """Column names, stripped; `where` (file and line) names the row in the error."""
    header = [name.strip() for name in names]
    duplicates = sorted({h for h in header if header.count(h) > 1})
    if duplicates or "" in header:
        raise DeliveryError(f"{where}: duplicate or empty column names {duplicates}")
    return header


def header_and_mapping(entity: str, header_after: Callable[[int], list[str]]) -> tuple[list[str], VendorMapping | None]:
    """`header_after(skip)` gives the header row after `skip` rows, or raises DeliveryError."""
    try:
        header, error = header_after(0), None
    except DeliveryError as exc:  # a preamble line (DATEV's EXTF line) has empty fields
        header, error = [], exc
    mapping = find_mapping(entity, header) if header else None
    if mapping is None:
        for skip in sorted({m.skip_lines for m in load_mappings() if m.entity == entity} - {0}):
            try:
                candidate = header_after(skip)
            except DeliveryError:
                continue
            found = find_mapping(entity, candidate)
            if found is not None and found.skip_lines == skip:
                return candidate, found
    if error is not None:
        raise error
    return header, mapping
