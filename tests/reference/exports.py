"""Reading the landing zone the way a person with a spreadsheet would, shared by all families.

Handles what the generator writes: generic CSV (`,`, UTF-8, ISO dates, UTC `...Z` timestamps)
and the German profile (`;`, Windows-1252, decimal comma, `dd.mm.yyyy`, Berlin wall-clock
timestamps), plain or gzip. Also the spec's conventions: latest version of a key wins, reporting
month is the Europe/Berlin local date, foreign currency converted with the `fx_rates` export.
"""
from __future__ import annotations

import csv
import gzip
import io
import statistics
from collections import defaultdict
from datetime import date, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")
CENT = Decimal("0.01")


def read_rows(landing: Path, source: str, entity: str) -> list[dict]:
    """Every row of every delivery file of one entity, in file-name order; `_german` marks the profile."""
    rows = []
    folder = landing / source / entity
    if not folder.is_dir():
        return rows
    for path in sorted(folder.iterdir()):
        if not path.name.endswith((".csv", ".csv.gz")):
            raise ValueError(f"{path}: the reference reads the CSV deliveries of the generator only")
        raw = path.read_bytes()
        raw = gzip.decompress(raw) if path.name.endswith(".gz") else raw
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252")
        german = text.split("\n", 1)[0].count(";") > 0
        for row in csv.DictReader(io.StringIO(text, newline=""), delimiter=";" if german else ","):
            row["_german"] = german
            rows.append(row)
    return rows


def parse_ts(value: str, german: bool) -> datetime:
    """UTC-aware datetime from either export profile."""
    if german:
        return datetime.strptime(value, "%d.%m.%Y %H:%M:%S").replace(tzinfo=BERLIN).astimezone(timezone.utc)
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


def opt_ts(row: dict, column: str) -> datetime | None:
    return parse_ts(row[column], row["_german"]) if row[column] else None


def parse_date(value: str, german: bool) -> date:
    return datetime.strptime(value, "%d.%m.%Y" if german else "%Y-%m-%d").date()


def parse_dec(value: str, german: bool) -> Decimal:
    return Decimal(value.replace(".", "").replace(",", ".") if german else value)


def local_date(moment: datetime) -> date:
    """Reporting date: the Europe/Berlin date of a UTC moment."""
    return moment.astimezone(BERLIN).date()


def month_of(day: date) -> date:
    return day.replace(day=1)


def latest(rows: list[dict], key: tuple[str, ...], version) -> dict[tuple, dict]:
    """Latest version of each key; later deliveries win ties (files are read in name order)."""
    out: dict[tuple, dict] = {}
    for row in rows:
        k = tuple(row[c] for c in key)
        if k not in out or version(row) >= version(out[k]):
            out[k] = row
    return out


def latest_by_ts(rows: list[dict], key: tuple[str, ...], column: str) -> list[dict]:
    return list(latest(rows, key, lambda r: parse_ts(r[column], r["_german"])).values())


def latest_by_date(rows: list[dict], key: tuple[str, ...], column: str) -> list[dict]:
    return list(latest(rows, key, lambda r: parse_date(r[column], r["_german"])).values())


def ratio(numerator, denominator) -> float | None:
    """A rate as a float; NULL (None) for a zero denominator, as the spec demands."""
    return float(numerator) / float(denominator) if denominator else None


def median(values: list[float]) -> float | None:
    """Continuous median (mean of the two middle values), None for no values."""
    return statistics.median(values) if values else None


def hours(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 3600


class FxTable:
    """`fx_rates` export: EUR per unit of currency; the latest rate on or up to 7 days before a date."""

    def __init__(self, landing: Path):
        self.rates: dict[str, dict[date, Decimal]] = defaultdict(dict)
        for row in read_rows(landing, "finance", "fx_rates"):
            g = row["_german"]
            self.rates[row["currency"]][parse_date(row["rate_date"], g)] = parse_dec(row["rate_to_reporting"], g)

    def rate(self, currency: str, on: date) -> Decimal:
        if currency == "EUR":
            return Decimal(1)
        for back in range(8):
            day = on - timedelta(days=back)
            if day in self.rates[currency]:
                return self.rates[currency][day]
        raise KeyError(f"no {currency} rate within 7 days before {on}")

    def to_eur(self, amount: Decimal, currency: str, on: date) -> Decimal:
        """Converted and rounded to the cent per record (amounts are DECIMAL, never float)."""
        return (amount * self.rate(currency, on)).quantize(CENT, ROUND_HALF_UP)
