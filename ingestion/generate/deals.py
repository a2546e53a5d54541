"""Deals with their stage history and quotes (Angebote).

Three kinds: the deal that wins a new business customer (closing at the moment the customer is
created), deals with prospects that never buy (lost or still open), and upsell deals with
existing business customers. A won deal schedules the order that delivers it. Every stage change
re-exports the deal, so the export holds versions.
"""
from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal

from . import catalog
from .clock import at, local_day
from .quotes import Quotes, customer_id_at
from .rand import Weighted, lognormal, poisson

PROBABILITY = {"qualification": Decimal("0.10"), "proposal": Decimal("0.30"), "negotiation": Decimal("0.60"),
               "won": Decimal("1.00"), "lost": Decimal("0.00")}
LOSS_REASONS = ("Preis zu hoch", "Wettbewerber gewählt", "Kein Budget", "Projekt verschoben", "Keine Rückmeldung",
                "Anforderungen nicht erfüllt")
DEAL_PRODUCTS = [p for p in catalog.PRODUCTS if p.category in ("Geräte", "Software", "Service", "Schulungen")]
UPSELLS_PER_CUSTOMER_YEAR = 1.2
# Prospects that never buy end up more often with the weaker closers.
PROSPECT_OWNERS = Weighted({rep: skill ** -3 for rep, (_, skill) in catalog.SALES_REPS.items()})


class Deals:
    """Creates deals, their stage history and quotes, and hands won deals to `orders`."""

    def __init__(self, rng: random.Random, out, orders, fx, incident, costs):
        self.rng, self.out, self.orders, self.fx, self.incident, self.costs = rng, out, orders, fx, incident, costs
        self.quotes = Quotes(rng, out)
        self.seq = 0

    def _gap(self, moment: datetime, median_days: float) -> datetime:
        return moment + timedelta(seconds=int(lognormal(self.rng, median_days * 86400, 0.6)))

    def acquisition(self, c, contact_id: str) -> None:
        """The deal behind a new business customer: opened at the opportunity stage, won on creation."""
        opened, won = c.funnel[3], c.created
        span = won - opened
        proposal, negotiation = opened + span * 0.35, opened + span * 0.7
        stages = [("qualification", opened), ("proposal", proposal), ("negotiation", negotiation), ("won", won)]
        amount = Decimal(round(lognormal(self.rng, 9000, 0.7) / 10) * 10)
        self._deal(c, contact_id, c.name, c.rep, amount, c.currency, stages, customer_from=won)

    def prospect(self, contact_id: str, company: str, opened: datetime) -> None:
        """A deal with a prospect who never buys: lost after some stages, or still open."""
        rng = self.rng
        stages = [("qualification", opened)]
        for stage, chance, median in (("proposal", 0.7, 10), ("negotiation", 0.6, 14)):
            if rng.random() >= chance:
                break
            stages.append((stage, self._gap(stages[-1][1], median)))
        if rng.random() < 0.8:
            stages.append(("lost", self._gap(stages[-1][1], 20)))
        rep = PROSPECT_OWNERS.pick(rng)
        amount = Decimal(round(lognormal(rng, 8000, 0.7) / 10) * 10)
        self._deal(None, contact_id, company, rep, amount, "EUR", stages)

    def day(self, day: date, population) -> None:
        """Upsell deals opened today with existing business customers."""
        rng = self.rng
        for _ in range(poisson(rng, len(population.active) * 0.3 * UPSELLS_PER_CUSTOMER_YEAR / 365)):
            c = population.pick(rng, day, "B2B")
            if c is None:
                continue
            stages = [("qualification", at(day, rng.randint(8 * 3600, 17 * 3600)))]
            skill = catalog.SALES_REPS[c.rep][1] * (0.5 if self.incident.hits(c.region, day) else 1.0)
            outcome = None
            for stage, chance, median in (("proposal", 0.8, 7), ("negotiation", 0.7, 10)):
                if rng.random() >= chance:
                    outcome = "lost"
                    break
                stages.append((stage, self._gap(stages[-1][1], median)))
            if outcome is None:
                outcome = "won" if rng.random() < min(0.95, 0.55 * skill) else "lost"
            stages.append((outcome, self._gap(stages[-1][1], 12)))
            amount = Decimal(round(lognormal(rng, 3500, 0.8) / 10) * 10)
            self._deal(c, c.contact_id, c.name, c.rep, amount, c.currency, stages, customer_from=stages[0][1])

    def _deal(self, c, contact_id, label, owner, amount_eur, currency, stages, customer_from=None) -> None:
        """Write a deal's versions and stage history (all stages are known when it is created)."""
        rng = self.rng
        self.seq += 1
        deal_id = f"D{self.seq:06d}"
        created = stages[0][1]
        amount = self.fx.to_currency(amount_eur, currency, local_day(created))
        name = f"{label} - {rng.choice(DEAL_PRODUCTS).name}"
        loss = rng.choice(LOSS_REASONS) if stages[-1][0] == "lost" else None
        versions = []
        for stage, moment in stages:
            closed = moment if stage in ("won", "lost") else None
            row = (deal_id, customer_id_at(c, customer_from, moment), contact_id, owner, name, amount, currency, stage, PROBABILITY[stage],
                   loss if stage == "lost" else None, created, closed, moment)
            versions.append((moment, row))
            self.out.write("deal_stage_history", local_day(moment), (deal_id, stage, moment))
        self.out.write_versions("deals", versions)
        self.quotes.for_deal(deal_id, c, customer_from, amount, currency, stages)
        if stages[-1][0] == "won":
            won_day = local_day(stages[-1][1])
            self.orders.schedule(won_day + timedelta(days=rng.randint(1, 10)), c, amount)
            self.costs.note_won(won_day, self.fx.to_eur(amount, currency, won_day))

