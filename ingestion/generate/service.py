"""Service tickets: questions, service orders and complaints, with agents, response and
resolution times, reopenings and a version per status change.

Complaints arise at a base rate and from cancellations and returns; in the incident region they
pile up and take longer. Some tickets reach the service desk only by e-mail (no customer id).
Satisfied or not, a share of resolved tickets gets a CSAT answer.
"""
from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from . import catalog
from .clock import at
from .rand import Weighted, lognormal, poisson

CATEGORIES = {
    "complaint": Weighted({"delivery": 35, "product_defect": 30, "billing": 20, "installation": 10, "other": 5}),
    "question": Weighted({"billing": 30, "account": 30, "product_defect": 5, "delivery": 20, "other": 15}),
    "service_order": Weighted({"installation": 65, "product_defect": 25, "other": 10}),
}
PRIORITIES = {
    "complaint": Weighted({"low": 5, "normal": 45, "high": 35, "urgent": 15}),
    "question": Weighted({"low": 40, "normal": 55, "high": 5}),
    "service_order": Weighted({"low": 15, "normal": 60, "high": 20, "urgent": 5}),
}
FIRST_RESPONSE_HOURS = {"low": 12, "normal": 5, "high": 2, "urgent": 0.7}
RESOLUTION_HOURS = {"question": 18, "service_order": 96, "complaint": 70}
AGENTS = list(catalog.SERVICE_AGENTS)
COMPLAINTS_PER_CUSTOMER_DAY = 0.0004


class Service:
    """Opens tickets and writes their versions; hands resolved tickets to `surveys`."""

    def __init__(self, rng: random.Random, out, incident, surveys, plants, prefix: str = "T"):
        self.rng, self.out, self.incident, self.surveys, self.plants = rng, out, incident, surveys, plants
        self.prefix = prefix
        self.seq = 0

    def day(self, day: date, population) -> None:
        """Tickets customers open on their own: questions, service orders, complaints."""
        rng, active = self.rng, len(population.active)
        for _ in range(poisson(rng, active * 0.0011)):
            c = population.pick(rng, day)
            if c is not None:
                self.open(c, at(day, rng.randint(7 * 3600, 21 * 3600)), "question")
        for _ in range(poisson(rng, active * 0.0008)):
            c = population.pick(rng, day)
            if c is not None and (c.contract is not None or c.segment == "B2B"):
                self.open(c, at(day, rng.randint(7 * 3600, 18 * 3600)), "service_order")
        for _ in range(poisson(rng, active * COMPLAINTS_PER_CUSTOMER_DAY * 3.5)):
            c = population.pick(rng, day)
            if c is not None and rng.random() * 3.5 < self.incident.complaint_factor(c.region, day):
                category = "delivery" if self.incident.hits(c.region, day) and rng.random() < 0.6 else None
                self.open(c, at(day, rng.randint(7 * 3600, 21 * 3600)), "complaint", category)

    def complaint(self, c, created: datetime, category: str) -> None:
        self.open(c, created, "complaint", category)

    def open(self, c, created: datetime, kind: str, category: str | None = None) -> None:
        """One ticket with its whole life (response, resolution, maybe reopening, closing) as versions."""
        rng = self.rng
        self.seq += 1
        ticket_id = f"{self.prefix}{self.seq:06d}"
        category = category or CATEGORIES[kind].pick(rng)
        priority = PRIORITIES[kind].pick(rng)
        agent = rng.choice(AGENTS)
        slow = catalog.SERVICE_AGENTS[agent] * (2.0 if self.incident.hits(c.region, created.date()) else 1.0)
        slow *= self.plants.resolution_factor(c.region, created.date())
        responded = created + timedelta(seconds=int(lognormal(rng, FIRST_RESPONSE_HOURS[priority] * 3600, 0.7)) + 60)
        resolved = responded + timedelta(seconds=int(lognormal(rng, RESOLUTION_HOURS[kind] * 3600 * slow, 0.8)))
        by_mail = rng.random() < 0.1
        base = (ticket_id, None if by_mail else c.customer_id, c.email, kind, category, priority, agent, created)
        versions = [(created, base + (None, None, None, "open", created)),
                    (responded, base + (responded, None, None, "open", responded)),
                    (resolved, base + (responded, resolved, None, "resolved", resolved))]
        if rng.random() < (0.12 if kind == "complaint" else 0.05):
            reopened = resolved + timedelta(hours=rng.randint(20, 160))
            resolved = reopened + timedelta(seconds=int(lognormal(rng, 30 * 3600 * slow, 0.7)))
            versions += [(reopened, base + (responded, None, reopened, "reopened", reopened)),
                         (resolved, base + (responded, resolved, reopened, "resolved", resolved))]
        closed = resolved + timedelta(days=7)
        versions.append((closed, versions[-1][1][:-2] + ("closed", closed)))
        self.out.write_versions("tickets", versions)
        self.surveys.after_ticket(c, ticket_id, kind, created, resolved, slow)
