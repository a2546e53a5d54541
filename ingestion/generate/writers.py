"""Streaming monthly delivery files: `<out>/<source>/<entity>/<entity>_<YYYY-MM>.csv[.gz]`.

Rows go straight to disk; only the open files are held. A row is routed by the local day it
happened: rows after the export end are dropped (the export cannot know the future), rows from
before the start go into the first month's delivery (the initial full load). Files of months the
simulation has left are closed, so writing to one again is a bug and raises.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

from ingestion.contract import load_contracts

from .clock import local_day
from .delivery_file import DeliveryFile
from .profiles import profile_for

GZIP_ENTITIES = frozenset({"web_events"})


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


class Deliveries:
    """All delivery files of one run, with rows and files counted per entity."""

    def __init__(self, out: Path, start: date, end: date):
        self.out, self.start, self.end = Path(out), start, end
        self.contracts = load_contracts()
        self.first_month = _month_index(start)
        self.current = self.first_month
        self.formatters = {
            name: profile_for(name).for_columns([col.type for col in c.columns]) for name, c in self.contracts.items()
        }
        self.open: dict[tuple[str, int], DeliveryFile] = {}
        self.rows = {name: 0 for name in self.contracts}
        self.files = {name: 0 for name in self.contracts}

    def write(self, entity: str, day: date, row: tuple) -> None:
        """Append one record to the delivery of the month `day` falls in."""
        if day > self.end:
            return
        month = max(_month_index(day), self.first_month)
        handle = self.open.get((entity, month))
        if handle is None:
            handle = self._open(entity, month)
        formatters = self.formatters[entity]
        if len(row) != len(formatters):
            raise ValueError(f"{entity}: row has {len(row)} values, contract has {len(formatters)} columns")
        handle.csv.writerow([fmt(value) for fmt, value in zip(formatters, row)])
        self.rows[entity] += 1

    def write_versions(self, entity: str, versions: list) -> None:
        """Record versions `(moment_utc, row)` in time order: each month's delivery holds the last
        version of that month, as a monthly export of changed records would."""
        last: dict[int, tuple[date, tuple]] = {}
        for moment, row in versions:
            day = local_day(moment)
            if day <= self.end:
                last[max(_month_index(day), self.first_month)] = (day, row)
        for day, row in last.values():
            self.write(entity, day, row)

    def advance(self, day: date) -> None:
        """The simulation reached `day`: close every file of earlier months."""
        month = _month_index(day)
        if month == self.current:
            return
        self.current = month
        for key in [k for k in self.open if k[1] < month]:
            self.open.pop(key).close()

    def _open(self, entity: str, month: int) -> DeliveryFile:
        if month < self.current:
            raise RuntimeError(f"{entity}: delivery for month {month // 12}-{month % 12 + 1:02d} is already closed")
        contract = self.contracts[entity]
        folder = self.out / contract.source / entity
        folder.mkdir(parents=True, exist_ok=True)
        compressed = entity in GZIP_ENTITIES
        name = f"{entity}_{month // 12}-{month % 12 + 1:02d}.csv" + (".gz" if compressed else "")
        profile = profile_for(entity)
        handle = DeliveryFile(folder / name, profile.encoding, profile.delimiter, contract.column_names, compressed)
        self.open[(entity, month)] = handle
        self.files[entity] += 1
        return handle

    def close(self) -> None:
        for key in list(self.open):
            self.open.pop(key).close()
