"""Survey answers: CSAT (1-5) after resolved tickets and periodic NPS (0-10).

Most answers carry the customer id; a fifth only the e-mail address as the respondent typed it
(other case, stray spaces), and a few come from people who are no customers at all, so the
warehouse has to resolve identities and report what stays unlinked.
"""
from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from . import names
from .clock import at
from .rand import poisson

CSAT_MEAN = {"question": 4.3, "service_order": 4.0, "complaint": 3.4}


class Surveys:
    """Writes survey answers, linked by customer id or only by e-mail."""

    def __init__(self, rng: random.Random, out, incident, plants, prefix: str = "SR"):
        self.rng, self.out, self.incident, self.plants, self.prefix = rng, out, incident, plants, prefix
        self.seq = 0

    def after_ticket(self, c, ticket_id: str, kind: str, created: datetime, resolved: datetime, slow: float) -> None:
        """About a third of resolved tickets get a CSAT answer; slow or incident tickets score lower."""
        rng = self.rng
        if rng.random() >= 0.35:
            return
        answered = resolved + timedelta(seconds=rng.randint(3600, 48 * 3600))
        hours = (resolved - created).total_seconds() / 3600
        mean = CSAT_MEAN[kind] - (0.6 if slow > 1.5 else 0.0) - (0.4 if hours > 120 else 0.0)
        mean -= self.incident.satisfaction_shift(c.region, answered.date()) / 2
        score = min(5, max(1, round(rng.gauss(mean, 0.9))))
        self._answer(c, ticket_id, "csat", score, answered)

    def day(self, day: date, population) -> None:
        """Periodic NPS survey answers from active customers (and a few strangers)."""
        rng = self.rng
        for _ in range(poisson(rng, len(population.active) * 0.002)):
            c = population.pick(rng, day)
            if c is None:
                continue
            mean = 7.5 + (0.3 if c.segment == "B2B" else 0.0) - self.incident.satisfaction_shift(c.region, day)
            mean += self.plants.nps_shift(c.region, day)
            score = min(10, max(0, round(rng.gauss(mean, 2.0))))
            answered = at(day, rng.randint(7 * 3600, 23 * 3600))
            if rng.random() < 0.03:
                self.seq += 1
                first, last = names.person(rng)
                email = names.private_email(rng, first, last, 900000 + self.seq)
                self.out.write("survey_responses", day, (f"{self.prefix}{self.seq:07d}", None, email, None, "nps", score, answered))
            else:
                self._answer(c, None, "nps", score, answered)

    def _answer(self, c, ticket_id, survey_type: str, score: int, answered: datetime) -> None:
        """Write an answer of a known customer, identified by id, by both or only by e-mail."""
        rng = self.rng
        self.seq += 1
        mode = rng.random()
        customer_id, email = c.customer_id, None
        if mode >= 0.8:
            customer_id, email = None, _as_typed(rng, c.email)
        elif mode >= 0.7:
            email = c.email
        row = (f"{self.prefix}{self.seq:07d}", customer_id, email, ticket_id, survey_type, score, answered)
        self.out.write_versions("survey_responses", [(answered, row)])


def _as_typed(rng: random.Random, email: str) -> str:
    """The address as a respondent might type it: same mailbox, other case or stray spaces."""
    variant = rng.randint(0, 3)
    if variant == 0:
        return email.upper()
    if variant == 1:
        return email[:1].upper() + email[1:]
    if variant == 2:
        return f" {email} "
    return email
