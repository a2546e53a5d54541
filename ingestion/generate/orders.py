"""Orders and order lines: who orders when, through which channel, in which currency.

Each active customer orders with a daily probability shaped by segment, season, campaigns, a
campaign-response boost and the regional incident; new households order on sign-up and won deals
deliver as orders. An order's fate (fulfilled, cancelled, returned) is decided when it is placed
and handed to `aftersales`; web orders get their purchase session, payable ones their payment.
"""
from __future__ import annotations

import random
from datetime import date, timedelta

from .basket import basket, value
from .clock import at
from .rand import Weighted

CHANNELS = {
    "B2B": Weighted({"sales": 40, "web": 30, "phone": 20, "partner": 10}),
    "B2C": Weighted({"web": 75, "phone": 15, "partner": 10}),
}
# Local hour of day an order arrives, by channel (web shoppers order in the evening too).
WEB_HOURS = Weighted({h: w for h, w in zip(range(6, 24), (1, 2, 3, 4, 5, 5, 5, 5, 4, 4, 4, 5, 6, 7, 8, 8, 6, 3))})


class Orders:
    """Places orders day by day and writes orders and order lines."""

    def __init__(self, rng: random.Random, out, world, fx, incident, aftersales, web, bank, plants):
        self.rng, self.out, self.world, self.fx, self.incident = rng, out, world, fx, incident
        self.aftersales, self.web, self.bank, self.plants = aftersales, web, bank, plants
        self.scheduled: dict[date, list] = {}
        self.seq = 0
        self.year_seq: dict[int, int] = {}

    def schedule(self, day: date, customer, target) -> None:
        """An order that will deliver a won deal on `day`."""
        self.scheduled.setdefault(day, []).append((customer, target))

    def day(self, day: date, demand, population) -> None:
        rng = self.rng
        for c in self.world.created_on.get(day, []):
            if c.segment == "B2C":
                self._place(c, day, c.created + timedelta(minutes=rng.randint(2, 9)), "web" if rng.random() < 0.8 else "phone")
        for c, target in self.scheduled.pop(day, []):
            if c.active_on(day):
                self._place(c, day, at(day, rng.randint(8 * 3600, 17 * 3600)), "sales", target)
        incident = self.incident
        for c in population.active:
            if c.churn is not None and day >= c.churn:
                continue
            p = c.rate * demand.factor[c.segment]
            if c.boost_until is not None and c.boost_from <= day <= c.boost_until:
                p *= c.boost
            if incident.hits(c.region, day):
                p *= incident.order_factor(c.region, day)
            if rng.random() < p:
                channel = CHANNELS[c.segment].pick(rng)
                hour = WEB_HOURS.pick(rng) if channel == "web" else rng.randint(8, 17)
                self._place(c, day, at(day, hour * 3600 + rng.randint(0, 3599)), channel)

    def _place(self, c, day: date, ordered, channel: str, target=None) -> None:
        """Write one order with its lines and versions and trigger its purchase session and payment."""
        self.seq += 1
        order_id = f"O{self.seq:07d}"
        self.year_seq[day.year] = self.year_seq.get(day.year, 0) + 1
        reference = f"RE-{day.year}-{self.year_seq[day.year]:06d}"
        lines = self.plants.reprice(basket(self.rng, c.segment, c.currency, day, self.fx, target), day)
        for number, (product, quantity, price) in enumerate(lines, start=1):
            self.out.write("order_lines", day, (order_id, number, product.product_id, product.category, quantity, price, ordered))
        total = value(lines)
        head = (order_id, c.customer_id, ordered, "placed", channel, c.currency, reference)
        fate = self.aftersales.decide(c, order_id, reference, day, ordered, lines, total)
        versions = [(ordered, head + (ordered,))]
        if fate.status != "placed":
            versions.append((fate.moment, head[:3] + (fate.status,) + head[4:] + (fate.moment,)))
        self.out.write_versions("orders", versions)
        if channel == "web":
            self.web.purchase(c, day, order_id, ordered, total, c.currency)
        if fate.status != "cancelled":
            self.bank.order_payment(c, day, reference, total, c.currency)
