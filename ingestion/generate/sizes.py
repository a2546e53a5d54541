"""Size presets: how many customers produce roughly how many rows.

Volumes scale with the number of customers (about 650 rows per customer over two years, three
quarters of them web events); exchange rates, followers and social posts depend mostly on time.
"""
from __future__ import annotations

SIZES = {
    "tiny": 150,        # tests: a few seconds
    "default": 2_000,   # roughly a million rows, under a minute
    "S": 140,           # about 100 thousand rows
    "M": 15_000,        # about 10 million rows
    "L": 76_000,        # about 50 million rows
}


def customers_for(size: str, customers: int | None) -> int:
    """An explicit customer count wins over the preset."""
    if size not in SIZES:
        raise ValueError(f"unknown size {size!r}; choose one of {', '.join(SIZES)}")
    count = SIZES[size] if customers is None else customers
    if count < 10:
        raise ValueError("at least 10 customers are needed to simulate a business")
    return count
