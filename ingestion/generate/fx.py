"""Daily exchange rates to EUR (EUR per unit of currency) and conversions that use them.

A random walk on working days, carried over weekends like a reference-rate table, covering the
window plus the history before it (customers and contracts that predate the window carry amounts
dated back then) and a lead week, so every amount has a rate on or shortly before its date.
"""
from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from .clock import days

START_RATES = {"USD": 0.9235, "CHF": 1.0412, "GBP": 1.1623}
DAILY_VOLATILITY = {"USD": 0.0045, "CHF": 0.003, "GBP": 0.0035}
LEAD_DAYS = 7
CENT = Decimal("0.01")


class Fx:
    """The rate table, precomputed for the whole window (a few thousand values)."""

    def __init__(self, rng: random.Random, start: date, end: date, history_from: date | None = None):
        self.first = min(start, history_from or start) - timedelta(days=LEAD_DAYS)
        self.start = start
        self.rates: dict[str, list[Decimal]] = {}
        for currency, rate in START_RATES.items():
            series = []
            for day in days(self.first, end):
                if day.weekday() < 5:
                    rate *= 1.0 + rng.gauss(0.0, DAILY_VOLATILITY[currency])
                series.append(Decimal(f"{rate:.6f}"))
            self.rates[currency] = series

    def rate(self, currency: str, day: date) -> Decimal:
        if currency == "EUR":
            return Decimal(1)
        series = self.rates[currency]
        return series[min(max((day - self.first).days, 0), len(series) - 1)]

    def to_currency(self, amount_eur: Decimal, currency: str, day: date) -> Decimal:
        return (amount_eur / self.rate(currency, day)).quantize(CENT, ROUND_HALF_UP)

    def to_eur(self, amount: Decimal, currency: str, day: date) -> Decimal:
        return (amount * self.rate(currency, day)).quantize(CENT, ROUND_HALF_UP)

    def day(self, day: date, out) -> None:
        """Export today's rates; the first day also exports the history before the window."""
        first = self.first if day == self.start else day
        for d in days(first, day):
            for currency in self.rates:
                out.write("fx_rates", d, (d, currency, self.rate(currency, d)))
