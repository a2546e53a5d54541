"""Campaign exports and campaign members with their response funnel.

Members are drawn from the customers active on the send day. Who opens, clicks or replies is
remembered on the customer as a 30-day purchase boost, and every click opens a web session
tagged with the campaign's UTM, so campaign conversion can be measured end to end.
"""
from __future__ import annotations

import random
from datetime import date, timedelta

from .campaigns import Campaign, campaign_versions
from .clock import at
from .rand import lognormal

OPEN_RATE = {"email": 0.34, "newsletter": 0.24}
CLICK_RATE = {"email": 0.28, "newsletter": 0.18}
REPLY_RATE = {"email": 0.14, "newsletter": 0.02}
BOOST_DAYS = 30


class Marketing:
    """Announces campaigns, sends mailings and records responses as purchase boosts."""

    def __init__(self, rng: random.Random, out, campaigns: list[Campaign], start: date, end: date, web, costs):
        self.rng, self.out, self.web, self.costs = rng, out, web, costs
        self.limit = at(end + timedelta(days=1), 0)
        self.announce: dict[date, list[Campaign]] = {}
        self.starting: dict[date, list[Campaign]] = {}
        for c in campaigns:
            self.announce.setdefault(max(c.start - timedelta(days=7), start), []).append(c)
            self.starting.setdefault(c.start, []).append(c)

    def day(self, day: date, population) -> None:
        for c in self.announce.get(day, []):
            self.out.write_versions("campaigns", campaign_versions(c))
            self.costs.campaign(c)
        for c in self.starting.get(day, []):
            if c.channel in OPEN_RATE:
                self._send(c, day, population.active)

    def _send(self, c: Campaign, day: date, active: list) -> None:
        """One mailing: members, their funnel (delivered, opened, clicked, replied) and its effects."""
        rng = self.rng
        share = 0.6 if c.channel == "newsletter" else 0.5
        for customer in active:
            if not customer.active_on(day) or (c.audience != "all" and customer.segment != c.audience):
                continue
            if rng.random() >= share:
                continue
            sent = at(day, 9 * 3600 + rng.randint(0, 7200))
            delivered = opened = clicked = replied = None
            if rng.random() < 0.97:
                delivered = sent + timedelta(seconds=rng.randint(2, 180))
                if rng.random() < OPEN_RATE[c.channel]:
                    opened = delivered + timedelta(seconds=int(lognormal(rng, 4 * 3600, 1.2)))
                    if rng.random() < CLICK_RATE[c.channel]:
                        clicked = opened + timedelta(seconds=rng.randint(5, 600))
                        if rng.random() < REPLY_RATE[c.channel]:
                            replied = clicked + timedelta(seconds=int(lognormal(rng, 8 * 3600, 1.0)))
            row = (c.campaign_id, customer.customer_id, sent, *self._known(delivered, opened, clicked, replied))
            self.out.write("campaign_members", day, row)
            self._boost(customer, c, opened, clicked, replied)

    def _known(self, *moments):
        """Responses after the export end are not known yet."""
        return tuple(m if m is not None and m < self.limit else None for m in moments)

    def _boost(self, customer, c: Campaign, opened, clicked, replied) -> None:
        """Responders order more for 30 days; the strongest response wins."""
        if opened is None:
            return
        factor = 5.0 if replied else 3.5 if clicked else 1.4
        moment = clicked or opened
        if clicked is not None:
            self.web.campaign_click(customer, clicked, c.utm)
        first = moment.date()
        if customer.boost_until is None or customer.boost_until < first or factor > customer.boost:
            customer.boost_from, customer.boost_until = first, first + timedelta(days=BOOST_DAYS)
            customer.boost, customer.boost_utm = factor, c.utm
