"""Web-analytics sessions and events: anonymous visitors, browsing customers, campaign clicks
and the purchase sessions of web orders.

Where visits come from is decided in `traffic`, what happens inside them in `clickstream`. Every
web order gets exactly one `purchase` event at the order's timestamp in a logged-in session.
"""
from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from .clickstream import plan
from .clock import at, local_day
from .rand import Weighted, poisson
from .traffic import CAMPAIGN_TRAFFIC, campaign_visit, usual_visit

DEVICES = {"B2B": Weighted({"desktop": 70, "mobile": 25, "tablet": 5}),
           "B2C": Weighted({"mobile": 60, "desktop": 30, "tablet": 10})}
ANONYMOUS_SESSIONS_PER_CUSTOMER = 0.11
BROWSING_RATE = 0.012
CUSTOMER_VISITOR_BASE = 10 ** 9


def pseudo_id(k: int) -> str:
    """GA-style client id; the multiplier is invertible modulo 10**10, so ids are unique."""
    return f"{(k * 2654435761 + 1234567) % 10 ** 10:010d}.{1600000000 + k % 100000000}"


class Web:
    """Writes sessions and events; sessions of a day are written to that day's delivery."""

    def __init__(self, rng: random.Random, out, campaigns, social, customers: int, end: date, prefix: str = "WS",
                 visitor_base: int = 0):
        self.rng, self.out, self.social, self.prefix, self.visitor_base = rng, out, social, prefix, visitor_base
        self.cutoff = at(end + timedelta(days=1), 0)
        self.campaigns = campaigns
        self.anonymous_rate = ANONYMOUS_SESSIONS_PER_CUSTOMER * customers
        self.visitors = self.session_seq = 0

    def day(self, day: date, demand, population) -> None:
        rng = self.rng
        running = [c for c in self.campaigns if c.start <= day <= c.end and c.channel in CAMPAIGN_TRAFFIC]
        mailed = [c for c in self.campaigns if c.channel in ("email", "newsletter") and 0 <= (day - c.start).days < 10]
        for _ in range(poisson(rng, self.anonymous_rate * demand.overall)):
            if running and rng.random() < sum(c.lift for c in running):
                source, medium, utm, landing = campaign_visit(rng.choice(running))
            else:
                source, medium, utm, landing = usual_visit(rng, self.social, mailed)
            self.anonymous_visit(day, source, medium, utm, landing)
        for _ in range(poisson(rng, len(population.active) * BROWSING_RATE)):
            c = population.pick(rng, day)
            if c is not None:
                source, medium, utm, landing = usual_visit(rng, self.social, mailed)
                logged_in = c.customer_id if rng.random() < 0.55 else None
                start = at(day, rng.randint(6 * 3600, 22 * 3600 + 1800))
                self._session(day, self._customer_pseudo(c), logged_in, start, source, medium, utm, landing,
                              DEVICES[c.segment].pick(rng))

    def anonymous_visit(self, day: date, source: str, medium: str, utm: str | None, landing: str) -> None:
        """The session of a visitor who is not logged in, at some time of `day`, on any device."""
        rng = self.rng
        visitor = self._visitor()
        start = at(day, rng.randint(0, 22 * 3600 + 1800))
        device = DEVICES["B2C"].pick(rng) if rng.random() < 0.7 else DEVICES["B2B"].pick(rng)
        self._session(day, pseudo_id(visitor), None, start, source, medium, utm, landing, device)

    def _visitor(self) -> int:
        """A new anonymous visitor, or a returning one (about a third of visits)."""
        if self.visitors and self.rng.random() < 0.35:
            return self.visitor_base + int(self.rng.random() * self.visitors)
        self.visitors += 1
        return self.visitor_base + self.visitors - 1

    def _customer_pseudo(self, c) -> str:
        return pseudo_id(CUSTOMER_VISITOR_BASE + c.idx)

    def campaign_click(self, c, clicked: datetime, utm: str) -> None:
        """The session a campaign e-mail click opens."""
        self._session(local_day(clicked), self._customer_pseudo(c), c.customer_id, clicked, "newsletter", "email", utm,
                      f"/aktion/{utm}", DEVICES[c.segment].pick(self.rng))

    def purchase(self, c, day: date, order_id: str, ordered: datetime, total, currency: str) -> None:
        rng = self.rng
        if c.boost_utm and c.boost_until and c.boost_from <= day <= c.boost_until and rng.random() < 0.5:
            source, medium, utm, landing = "newsletter", "email", c.boost_utm, f"/aktion/{c.boost_utm}"
        else:
            source, medium, utm, landing = usual_visit(rng, self.social, [])
        events = plan(rng, landing, purchase=True)
        start = ordered - timedelta(seconds=next(offset for offset, name, _, _ in events if name == "purchase"))
        self._session(day, self._customer_pseudo(c), c.customer_id, start, source, medium, utm, landing,
                      DEVICES[c.segment].pick(rng), events, (order_id, total, currency))

    def _session(self, day, pseudo, customer_id, start, source, medium, utm, landing, device, events=None, order=None):
        """Write one session and its events; one still running at the export cut-off is left out."""
        if events is None:
            events = plan(self.rng, landing, purchase=False)
        end = start + timedelta(seconds=events[-1][0])
        if end >= self.cutoff:
            return
        self.session_seq += 1
        session_id = f"{self.prefix}{self.session_seq:09d}"
        write = self.out.write
        for i, (offset, name, page, element) in enumerate(events):
            moment = start + timedelta(seconds=offset)
            order_id, value, currency = order if name == "purchase" else (None, None, None)
            write("web_events", day, (f"{session_id}-{i + 1:03d}", session_id, pseudo, moment, name, page, element,
                                      order_id, value, currency))
        write("web_sessions", day, (session_id, pseudo, customer_id, start, end, source, medium, utm, landing, device))
