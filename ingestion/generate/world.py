"""The customer base: who exists, since when, how often they buy and when they leave.

Customers are the one thing held in memory (small objects); everything they do is streamed. Each
customer created inside the export window carries its acquisition funnel (lead ... customer
times), so leads, deals and first orders derived from it are consistent by construction.
"""
from __future__ import annotations

import random
from bisect import bisect_right
from datetime import date, datetime, timedelta
from itertools import accumulate

from . import catalog
from .clock import at, days, local_day
from .identity import assign_identity
from .incident import Incident
from .rand import Weighted, lognormal

PRE_EXISTING_SHARE = 0.6
B2B_SHARE = 0.3
MEAN_LIFETIME_DAYS = {"B2B": 1600, "B2C": 1000}
MEDIAN_ORDERS_PER_DAY = {"B2B": 0.03, "B2C": 0.013}
CHANNELS = {segment: Weighted(weights) for segment, weights in catalog.ACQUISITION_CHANNELS.items()}


class Customer:
    """One account and its simulation state; slots keep a million of them affordable."""

    __slots__ = ("idx", "customer_id", "segment", "region", "city", "area", "industry", "channel", "name", "first",
                 "last", "email", "phone", "created", "created_day", "churn", "rate", "currency", "rep", "funnel",
                 "contact_id", "boost_from", "boost_until", "boost", "boost_utm", "change_day", "contract", "iban")

    def active_on(self, day: date) -> bool:
        return self.created_day <= day and (self.churn is None or day < self.churn)


class World:
    """The customer list with the days on which customers are created, become leads or change."""

    def __init__(self, customers: list[Customer], start: date):
        self.customers = customers
        self.pre_existing = [c for c in customers if c.created_day < start]
        self.created_on: dict[date, list[Customer]] = {}
        self.leads_on: dict[date, list[Customer]] = {}
        self.changes_on: dict[date, list[Customer]] = {}
        for c in customers:
            if c.funnel:
                self.created_on.setdefault(c.created_day, []).append(c)
                self.leads_on.setdefault(local_day(c.funnel[0]), []).append(c)
            if c.change_day:
                self.changes_on.setdefault(c.change_day, []).append(c)


def build_world(rng: random.Random, n: int, start: date, end: date, lead_weight, incident: Incident) -> World:
    """Draw `n` customers: segment, region, behaviour, creation (before or inside the window), churn."""
    span = list(days(start, end))
    cumulative = list(accumulate(lead_weight(d) for d in span))
    regions = Weighted({r.name: r.weight for r in catalog.REGIONS})
    currencies = Weighted(catalog.CURRENCIES)
    reps_by_region: dict[str, list[str]] = {}
    for rep, (region, _) in catalog.SALES_REPS.items():
        reps_by_region.setdefault(region, []).append(rep)
    customers = []
    for i in range(n):
        c = Customer()
        c.segment = "B2B" if rng.random() < B2B_SHARE else "B2C"
        c.region = regions.pick(rng)
        c.city, c.area = rng.choice(catalog.REGION_BY_NAME[c.region].cities)
        c.channel = CHANNELS[c.segment].pick(rng)
        c.currency = currencies.pick(rng) if c.segment == "B2B" or rng.random() < 0.4 else "EUR"
        c.rep = rng.choice(reps_by_region[c.region])
        c.rate = min(0.25, lognormal(rng, MEDIAN_ORDERS_PER_DAY[c.segment], 0.7))
        if rng.random() < PRE_EXISTING_SHARE:
            c.funnel = None
            c.created_day = start - timedelta(days=int(rng.triangular(1, 3 * 365, 1)))
            c.created = at(c.created_day, rng.randint(8 * 3600, 18 * 3600))
        else:
            c.funnel, c.created_day = _funnel(rng, c.segment, span, cumulative)
            c.created = c.funnel[-1]
        lifetime = rng.expovariate(1 / MEAN_LIFETIME_DAYS[c.segment])
        c.churn = c.created_day + timedelta(days=int(lifetime) + 1)
        exposed = incident.hits(c.region, end) and c.created_day < incident.first_day < c.churn
        if exposed and rng.random() < 0.25:
            c.churn = incident.first_day + timedelta(days=rng.randint(0, (end - incident.first_day).days))
        if c.churn > end:
            c.churn = None
        customers.append(c)
    customers.sort(key=lambda c: c.created)
    emails: set[str] = set()
    for idx, c in enumerate(customers):
        assign_identity(rng, c, idx, start, end, emails)
    return World(customers, start)


def _funnel(rng: random.Random, segment: str, span: list[date], cumulative: list[float]) -> tuple[list[datetime], date]:
    """Lead, MQL, SQL, opportunity and customer moments, increasing, all inside the window."""
    lag = int(min(200, max(14, lognormal(rng, 55, 0.5))) if segment == "B2B" else min(90, lognormal(rng, 8, 0.9)))
    lag = min(lag, len(span) - 1)
    last = len(span) - 1 - lag
    lead_day = span[bisect_right(cumulative, rng.random() * cumulative[last], hi=last)]
    lead = at(lead_day, rng.randint(8 * 3600, 12 * 3600))
    customer_day = lead_day + timedelta(days=lag)
    customer = at(customer_day, rng.randint(13 * 3600, 20 * 3600))
    cuts = sorted(rng.random() for _ in range(3))
    moments = [lead] + [lead + timedelta(seconds=int((customer - lead).total_seconds() * f)) for f in cuts] + [customer]
    for i in range(1, 5):
        moments[i] = max(moments[i], moments[i - 1] + timedelta(minutes=1))
    moments[4] = customer
    return moments, customer_day
