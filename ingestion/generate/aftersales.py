"""What happens to an order after it is placed: fulfilment, cancellation (Storno) or return.

Cancellations void an order before fulfilment; returns refund part or all of a fulfilled order,
never more than its value. Both raise complaints now and then and returns are refunded by bank
transfer. In the incident region deliveries slow down, which drives cancellations and
delivery complaints there.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from .clock import at, local_day, next_business_day
from .rand import lognormal

CANCEL_RATE = {"B2B": 0.035, "B2C": 0.05}
RETURN_RATE = {"B2B": 0.035, "B2C": 0.065}
CANCEL_REASONS = ("Kunde hat sich umentschieden", "Doppelbestellung", "Falsche Menge bestellt", "Preis zu hoch",
                  "Bonität abgelehnt", "Lieferzeit zu lang")
RETURN_REASONS = ("Artikel beschädigt", "Falscher Artikel geliefert", "Gefällt nicht", "Qualität mangelhaft",
                  "Maße passen nicht")


@dataclass(frozen=True)
class Fate:
    status: str
    moment: datetime


class Aftersales:
    """Decides each order's fate when it is placed and writes what follows from it."""

    def __init__(self, rng: random.Random, out, incident, service, bank, costs):
        self.rng, self.out, self.incident, self.service, self.bank, self.costs = rng, out, incident, service, bank, costs
        self.cancel_seq = self.return_seq = 0

    def decide(self, c, order_id: str, reference: str, day: date, ordered: datetime, lines: list, total: Decimal) -> Fate:
        """Cancelled, or fulfilled after a delivery time (longer in the incident region), maybe returned."""
        rng = self.rng
        late = self.incident.extra_delivery_days(c.region, day)
        if rng.random() < CANCEL_RATE[c.segment] * self.incident.cancel_factor(c.region, day):
            return self._cancel(c, order_id, ordered, delayed=late > 0)
        shipped = next_business_day(day + timedelta(days=rng.randint(1, 4) + rng.randint(0, late)))
        fulfilled = at(shipped, rng.randint(8 * 3600, 17 * 3600))
        self.costs.note_shipment(shipped)
        returnable = [line for line in lines if line[0].returnable]
        if returnable and rng.random() < RETURN_RATE[c.segment] * (1.8 if late else 1.0):
            self._return(c, order_id, reference, shipped, returnable, total)
        return Fate("fulfilled", fulfilled)

    def _cancel(self, c, order_id: str, ordered: datetime, delayed: bool) -> Fate:
        """A Storno within hours of ordering; late deliveries make delivery complaints likely."""
        rng = self.rng
        self.cancel_seq += 1
        moment = ordered + timedelta(seconds=int(min(2 * 86400, max(900, lognormal(rng, 8 * 3600, 1.0)))))
        moment = at(local_day(moment), rng.randint(8 * 3600, 19 * 3600)) if local_day(moment) > local_day(ordered) else moment
        reason = "Lieferverzögerung" if delayed and rng.random() < 0.7 else rng.choice(CANCEL_REASONS)
        self.out.write("cancellations", local_day(moment), (f"S{self.cancel_seq:06d}", order_id, moment, reason))
        if rng.random() < (0.6 if delayed else 0.2):
            self.service.complaint(c, moment + timedelta(minutes=rng.randint(5, 600)), "delivery" if delayed else "billing")
        return Fate("cancelled", moment)

    def _return(self, c, order_id: str, reference: str, shipped: date, returnable: list, total: Decimal) -> None:
        """A full or partial refund (never above the order value), refunded and sometimes complained about."""
        rng = self.rng
        self.return_seq += 1
        return_id = f"R{self.return_seq:06d}"
        day = shipped + timedelta(days=rng.randint(3, 28))
        moment = at(day, rng.randint(9 * 3600, 18 * 3600))
        if rng.random() < 0.35:
            refund = total
        else:
            product, quantity, price = rng.choice(returnable)
            refund = min(total, rng.randint(1, quantity) * price)
        reason = rng.choice(RETURN_REASONS)
        self.out.write("returns", day, (return_id, order_id, moment, refund, c.currency, reason))
        if rng.random() < 0.5:
            category = "product_defect" if reason in ("Artikel beschädigt", "Qualität mangelhaft") else "delivery"
            self.service.complaint(c, moment - timedelta(hours=rng.randint(2, 40)), category)
        self.bank.refund(c, next_business_day(day + timedelta(days=rng.randint(2, 8))), return_id, reference, refund, c.currency)
