"""Size presets: how many customers produce roughly how many rows.

Volumes scale with the number of customers (about 650 rows per customer over two years, three
quarters of them web events); exchange rates, followers and social posts depend mostly on time.
Row counts are over the default two-year window, which the refresh benchmark (`python -m bench
refresh --size S|M|L`) uses as its history too, so a size means the same rows in both places.
"""
from __future__ import annotations

SIZES = {
    "tiny": 150,        # tests: a few seconds
    "default": 2_000,   # roughly a million rows, under a minute
    "S": 140,           # about 100 thousand rows (102,812 in the benchmark, seed 42)
    "M": 15_000,        # about 10 million rows (9,890,978 in the benchmark, seed 42)
    "L": 76_000,        # about 50 million rows (49,784,102 in the benchmark, seed 42)
}


def customers_for(size: str, customers: int | None) -> int:
    """An explicit customer count wins over the preset."""
    if size not in SIZES:
        raise ValueError(f"unknown size {size!r}; choose one of {', '.join(SIZES)}")
    count = SIZES[size] if customers is None else customers
    if count < 10:
        raise ValueError("at least 10 customers are needed to simulate a business")
    return count
