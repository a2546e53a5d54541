"""The two export formats a delivery can use, as per-column text formatters.

German ERP and bank exports (`de`) differ from analytics exports (`generic`) in delimiter,
encoding, decimal comma, day-first dates and local wall-clock timestamps; generating both makes
the loader's detection and conversion do real work. Modules hand over typed values (datetime in
UTC, date, Decimal, int, str or None) and the profile turns them into text.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from .clock import is_ambiguous, local

# Entities exported by the German ERP / bank: semicolons, Windows-1252, decimal comma, local time.
DE_ENTITIES = frozenset({
    "orders", "order_lines", "cancellations", "returns", "contracts", "bank_transactions", "cost_bookings",
})

_SWAP = str.maketrans(",.", ".,")


def _text(value) -> str:
    return "" if value is None else str(value)


def _generic_decimal(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")


def _generic_date(value: date | None) -> str:
    return "" if value is None else value.isoformat()


def _generic_timestamp(value: datetime | None) -> str:
    return "" if value is None else value.isoformat(timespec="seconds") + "Z"


def _de_decimal(value: Decimal | None) -> str:
    """`1.234,56`: dot groups thousands, comma separates the fraction."""
    return "" if value is None else format(value, ",f").translate(_SWAP)


def _de_date(value: date | None) -> str:
    return "" if value is None else f"{value.day:02d}.{value.month:02d}.{value.year}"


def _de_timestamp(value: datetime | None) -> str:
    """Local Europe/Berlin wall clock; refuses the DST hour, which could not be read back."""
    if value is None:
        return ""
    t = local(value)
    if t.hour == 2 and is_ambiguous(t):
        raise ValueError(f"{value} falls in the DST switch hour and cannot be written as local time")
    return f"{t.day:02d}.{t.month:02d}.{t.year} {t.hour:02d}:{t.minute:02d}:{t.second:02d}"


@dataclass(frozen=True)
class Profile:
    name: str
    delimiter: str
    encoding: str
    formatters: dict

    def for_columns(self, types: list[str]) -> list:
        return [self.formatters[t] for t in types]


GENERIC = Profile("generic", ",", "utf-8", {
    "varchar": _text, "integer": _text, "decimal": _generic_decimal,
    "date": _generic_date, "timestamp": _generic_timestamp,
})
DE = Profile("de", ";", "cp1252", {
    "varchar": _text, "integer": _text, "decimal": _de_decimal,
    "date": _de_date, "timestamp": _de_timestamp,
})


def profile_for(entity: str) -> Profile:
    return DE if entity in DE_ENTITIES else GENERIC
