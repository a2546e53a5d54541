"""What goes into an order: 1-4 lines of catalog products with quantities and net unit prices.

Households buy beans and accessories in ones and twos, businesses buy consumables by the case
and get a negotiated discount; foreign-currency customers pay prices converted at the day's rate.
"""
from __future__ import annotations

import random
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from . import catalog
from .rand import Weighted

LINE_COUNTS = Weighted({1: 50, 2: 28, 3: 14, 4: 8})
QUANTITY = {
    "B2B": {"Geräte": (1, 2), "Zubehör": (1, 8), "Verbrauchsmaterial": (3, 30), "Software": (1, 3), "Service": (1, 4),
            "Schulungen": (1, 8)},
    "B2C": {"Geräte": (1, 1), "Zubehör": (1, 2), "Verbrauchsmaterial": (1, 6), "Software": (1, 1), "Service": (1, 1),
            "Schulungen": (1, 2)},
}
BY_CATEGORY = {cat: [p for p in catalog.PRODUCTS if p.category == cat] for cat in catalog.CATEGORIES}
CATEGORY_PICK = {seg: Weighted({k: v for k, v in w.items() if v}) for seg, w in catalog.CATEGORY_WEIGHTS.items()}
CENT = Decimal("0.01")


def basket(rng: random.Random, segment: str, currency: str, day: date, fx, target: Decimal | None = None) -> list:
    """Lines `(product, quantity, net_unit_price)`; with `target`, quantities approach that value."""
    chosen: list = []
    for _ in range(LINE_COUNTS.pick(rng)):
        product = rng.choice(BY_CATEGORY[CATEGORY_PICK[segment].pick(rng)])
        if product not in chosen:
            chosen.append(product)
    discount = Decimal(rng.randint(0, 15)) / 100 if segment == "B2B" else Decimal(0)
    lines = []
    for product in chosen:
        low, high = QUANTITY[segment][product.category]
        quantity = rng.randint(low, high)
        price = (product.list_price * (1 - discount)).quantize(CENT, ROUND_HALF_UP)
        lines.append([product, quantity, fx.to_currency(price, currency, day) if currency != "EUR" else price])
    if target is not None:
        rest = sum(q * p for _, q, p in lines[1:])
        lines[0][1] = max(1, int((target - rest) / lines[0][2]))
    return [tuple(line) for line in lines]


def value(lines: list) -> Decimal:
    return sum((q * p for _, q, p in lines), Decimal("0.00"))
