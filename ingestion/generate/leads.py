"""Contacts and leads with their lifecycle stage changes (lead, MQL, SQL, opportunity, customer).

Converting contacts follow the funnel their customer was built with, so the lead is always older
than the first won deal or order. More leads never convert: they drop off at each stage, and
business prospects that reach the opportunity stage get a deal that is lost or still open.
"""
from __future__ import annotations

import random
from datetime import date, timedelta

from . import catalog, names
from .clock import at, local_day
from .rand import Weighted, lognormal, poisson

STAGES = ("lead", "mql", "sql", "opportunity", "customer")
# Chance a non-converting lead moves on to the next stage (it never reaches `customer`).
ADVANCE = (0.55, 0.45, 0.5)
PROSPECTS_PER_CUSTOMER = 1.6


class Leads:
    """Creates contacts: one per customer plus prospects who never buy."""

    def __init__(self, rng: random.Random, out, world, deals, start: date, end: date):
        self.rng, self.out, self.world, self.deals = rng, out, world, deals
        new_customers = sum(1 for c in world.customers if c.funnel)
        self.daily = PROSPECTS_PER_CUSTOMER * new_customers / max(1, (end - start).days + 1)
        self.sources = {seg: Weighted(w) for seg, w in catalog.ACQUISITION_CHANNELS.items()}
        self.seq = 0
        self.start = start

    def _next_id(self) -> str:
        self.seq += 1
        return f"CT{self.seq:07d}"

    def day(self, day: date, demand) -> None:
        if day == self.start:
            for c in self.world.pre_existing:
                self._existing(c)
        for c in self.world.leads_on.get(day, []):
            self._converting(c)
        for _ in range(poisson(self.rng, self.daily * demand.overall)):
            self._prospect(day)

    def _existing(self, c) -> None:
        """Customers older than the export: their lifecycle history is not part of it."""
        c.contact_id = self._next_id()
        created = c.created - timedelta(days=self.rng.randint(3, 90))
        first, last, email = self._person(c)
        row = (c.contact_id, c.customer_id, first, last, email, c.channel, "customer", created, c.created)
        self.out.write("contacts", c.created_day, row)

    def _person(self, c) -> tuple[str, str, str]:
        if c.segment == "B2C":
            return c.first, c.last, c.email
        first, last = names.person(self.rng)
        return first, last, f"{names.fold(first)[0]}.{names.slug(last)}@{c.email.split('@')[1]}"

    def _converting(self, c) -> None:
        """The contact behind a customer created in the window, following its funnel."""
        c.contact_id = contact_id = self._next_id()
        first, last, email = self._person(c)
        self._emit(contact_id, c, first, last, email, c.channel, list(zip(STAGES, c.funnel)))
        if c.segment == "B2B":
            self.deals.acquisition(c, contact_id)

    def _prospect(self, day: date) -> None:
        """A lead that drops off somewhere before becoming a customer."""
        rng = self.rng
        segment = "B2B" if rng.random() < 0.35 else "B2C"
        contact_id = self._next_id()
        first, last = names.person(rng)
        company = None
        if segment == "B2B":
            region = rng.choice(catalog.REGIONS)
            company = names.company(rng, rng.choice(names.INDUSTRIES), region.cities[0][0])
            email = f"{names.fold(first)[0]}.{names.slug(last)}@{names.company_domain(company, self.seq)}"
        else:
            email = names.private_email(rng, first, last, 500000 + self.seq)
        moment = at(day, rng.randint(7 * 3600, 22 * 3600))
        path = [("lead", moment)]
        for stage, chance in zip(STAGES[1:4], ADVANCE):
            if rng.random() >= chance:
                break
            moment = moment + timedelta(seconds=int(lognormal(rng, 6 * 86400, 0.8)))
            path.append((stage, moment))
        self._emit(contact_id, None, first, last, email, self.sources[segment].pick(rng), path)
        if company and path[-1][0] == "opportunity":
            self.deals.prospect(contact_id, company, path[-1][1])

    def _emit(self, contact_id, customer, first, last, email, source, path) -> None:
        """Lifecycle rows for each stage and a contact version per stage (last one per month exported)."""
        created = path[0][1]
        versions = []
        for stage, moment in path:
            customer_id = customer.customer_id if customer is not None and stage == "customer" else None
            versions.append((moment, (contact_id, customer_id, first, last, email, source, stage, created, moment)))
            self.out.write("lifecycle_stage_changes", local_day(moment), (contact_id, stage, moment))
        self.out.write_versions("contacts", versions)
