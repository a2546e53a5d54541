"""One reader per delivery format, chosen by the one detection step (`ingestion.detect`).

Whatever the format, a reader hands over the same kind of source and scan tables (see
`ingestion.scan`), so typing, quarantine and the ledger work the same for all of them. Adding a
format is a detection rule and an entry here.
"""
from __future__ import annotations

from collections.abc import Callable

from ingestion import csv_scan, json_scan, parquet_scan, xlsx_scan
from ingestion.contract import Contract
from ingestion.delivery import Delivery, Incoming

Reader = Callable[[object, Contract, Incoming], Delivery]

READERS: dict[str, Reader] = {
    "csv": csv_scan.read,
    "tsv": csv_scan.read,
    "psv": csv_scan.read,
    "utf16-text": csv_scan.read,
    "xlsx": xlsx_scan.read,
    "ndjson": json_scan.read,
    "parquet": parquet_scan.read,
}


def read_delivery(con, contract: Contract, incoming: Incoming) -> Delivery:
    return READERS[incoming.sniffed.format](con, contract, incoming)
