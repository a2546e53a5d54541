"""The `customers` export: the initial load, one row in the month each customer is created, and
a new version whenever an attribute changes (a move, a new e-mail, a household turning business)
so the warehouse must keep the latest version per customer."""
from __future__ import annotations

import random
from datetime import date, timedelta

from . import catalog, names
from .clock import at


def customer_row(c, updated):
    return (c.customer_id, c.name, c.email, c.phone, c.segment, c.industry, c.region, c.channel, c.created, updated)


class Customers:
    """Writes customer versions as the simulation reaches their creation and change days."""

    def __init__(self, rng: random.Random, out, world, start: date):
        self.rng, self.out, self.world, self.start = rng, out, world, start

    def _month(self, day: date) -> tuple[int, int]:
        day = max(day, self.start)
        return day.year, day.month

    def _created(self, c) -> None:
        """The first version, unless a change in the same month supersedes it in that delivery."""
        if c.change_day is None or self._month(c.change_day) != self._month(c.created_day):
            self.out.write("customers", c.created_day, customer_row(c, c.created))

    def day(self, day: date) -> None:
        if day == self.start:
            for c in self.world.pre_existing:
                self._created(c)
        for c in self.world.created_on.get(day, []):
            self._created(c)
        for c in self.world.changes_on.get(day, []):
            self._change(c, day)

    def _change(self, c, day: date) -> None:
        """Apply one attribute change to the customer and export the new version."""
        rng = self.rng
        kind = rng.random()
        if kind < 0.3:
            c.region = rng.choice([r.name for r in catalog.REGIONS if r.name != c.region])
            c.city, c.area = rng.choice(catalog.REGION_BY_NAME[c.region].cities)
            c.phone = names.phone(rng, c.area)
        elif kind < 0.45 and c.segment == "B2C":
            c.segment, c.industry = "B2B", rng.choice(names.INDUSTRIES)
        elif kind < 0.75:
            box, domain = c.email.split("@")
            c.email = f"{box}.neu@{domain}" if c.segment == "B2B" else f"{box}@{rng.choice(names.EMAIL_DOMAINS)}"
        else:
            c.phone = names.phone(rng, c.area)
        updated = at(day, rng.randint(8 * 3600, 18 * 3600))
        if updated <= c.created:
            updated = c.created + timedelta(minutes=5)
        self.out.write("customers", day, customer_row(c, updated))
