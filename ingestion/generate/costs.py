"""Cost bookings from accounting and the vendor payments that settle them.

Recurring monthly costs (salaries, rent, licences, ads, service partners), costs that follow the
business (shipping per shipment, sales commission per won deal, campaign invoices) and ad-hoc
bookings. Hosting is renegotiated after three quarters of the window, so one category shows a
real cost reduction; salaries rise by 3 % a year.
"""
from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from .bank import german_iban
from .campaigns import MONTHS_DE
from .clock import add_months, next_business_day
from .cost_plan import AD_HOC, MONTHLY
from .rand import poisson

SHIPPING_PER_PARCEL = Decimal("6.90")
COMMISSION = Decimal("0.03")
CENT = Decimal("0.01")


class Costs:
    """Books costs on their days and pays them through the bank."""

    def __init__(self, rng: random.Random, out, bank, scale: float, start: date, end: date, plants):
        self.rng, self.out, self.bank, self.scale, self.start, self.plants = rng, out, bank, scale, start, plants
        self.renegotiated = (start + (end - start) * 3 / 4).replace(day=1)
        self.ibans = {}
        self.shipments: dict[date, int] = {}
        self.won: dict[date, Decimal] = {}
        self.seq = 0

    def _book(self, day: date, category: str, amount: Decimal, description: str, vendor: str, campaign_id=None) -> None:
        """One cost booking and, some days later, the transfer that pays it."""
        self.seq += 1
        amount = amount.quantize(CENT, ROUND_HALF_UP)
        self.out.write("cost_bookings", day, (f"K{self.seq:06d}", day, amount, "EUR", category, campaign_id, description))
        if vendor not in self.ibans:
            self.ibans[vendor] = german_iban(self.rng)
        paid = day if category == "personnel" else day + timedelta(days=self.rng.randint(2, 14))
        self.bank.pay_vendor(paid, amount, vendor, self.ibans[vendor], f"{description} Beleg K{self.seq:06d}")

    def day(self, day: date) -> None:
        """Monthly bookings due today, last month's follow-ups on the 2nd, and ad-hoc costs."""
        rng, month = self.rng, f"{MONTHS_DE[day.month - 1]} {day.year}"
        for category, text, vendor, dom, per_month in MONTHLY:
            if day.day == dom:
                factor = 0.62 if text.startswith("Hosting") and day >= self.renegotiated else 1.0
                if category == "personnel":
                    factor *= 1.03 ** ((day - self.start).days / 365)
                factor *= self.plants.cost_factor(category, day)
                amount = Decimal(per_month * self.scale * factor * rng.uniform(0.96, 1.04))
                self._book(day, category, amount, text.format(m=month), vendor)
        if day.day == 2:
            self._monthly_followups(day)
        for _ in range(poisson(rng, 0.12 * max(self.scale, 0.2))):
            category, text, vendor, low, high = rng.choice(AD_HOC)
            self._book(next_business_day(day), category, Decimal(rng.uniform(low, high) * max(self.scale, 0.2)), text, vendor)

    def _monthly_followups(self, day: date) -> None:
        """Last month's shipping invoice and sales commissions, booked on the 2nd."""
        previous = add_months(day, -1)
        label = f"{MONTHS_DE[previous.month - 1]} {previous.year}"
        parcels = self.shipments.pop(previous, 0)
        if parcels:
            self._book(day, "operations", parcels * SHIPPING_PER_PARCEL, f"Versandkosten DHL {label} ({parcels} Sendungen)",
                       "DHL Paket GmbH")
        won = self.won.pop(previous, Decimal(0))
        if won:
            self._book(day, "sales", won * COMMISSION, f"Provisionen Vertrieb {label}", "Provisionsabrechnung Vertrieb")

    def note_shipment(self, day: date) -> None:
        """Count a parcel for next month's shipping invoice."""
        key = day.replace(day=1)
        self.shipments[key] = self.shipments.get(key, 0) + 1

    def note_won(self, day: date, amount_eur: Decimal) -> None:
        """Add a won deal's value to the commission base of its month."""
        key = day.replace(day=1)
        self.won[key] = self.won.get(key, Decimal(0)) + amount_eur

    def campaign(self, c) -> None:
        """A campaign's invoice, booked a few days after it ends, tagged with its id."""
        self._book(next_business_day(c.end + timedelta(days=3)), "marketing", c.cost, f"Kampagne {c.name}",
                   "Mediaagentur Weißblau GmbH", c.campaign_id)
