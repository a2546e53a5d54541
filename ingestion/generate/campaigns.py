"""Marketing campaigns: planned up front (their windows lift demand), exported when announced.

One or two campaigns a month; broad-reach channels (banner, social, print, TV) lift orders and
web sessions of everyone while they run, e-mail and newsletter campaigns reach their members
only, whose responses make them more likely to order for 30 days.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from . import names
from .clock import add_months, at
from .rand import Weighted

CHANNELS = Weighted({"email": 28, "newsletter": 26, "banner": 14, "social": 16, "print": 9, "tv": 7})
DURATION_DAYS = {"email": (2, 5), "newsletter": (1, 2), "banner": (21, 35), "social": (14, 28), "print": (14, 21), "tv": (10, 21)}
BUDGET_EUR = {"email": (400, 2500), "newsletter": (200, 1200), "banner": (4000, 15000), "social": (3000, 12000),
              "print": (6000, 20000), "tv": (40000, 90000)}
# Share by which a running broad-reach campaign raises everybody's demand.
LIFT = {"email": 0.0, "newsletter": 0.0, "banner": 0.06, "social": 0.05, "print": 0.04, "tv": 0.15}
MONTHS_DE = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
             "November", "Dezember")
THEMES = ("Neujahrs-Aktion", "Winter-Special", "Frühjahrsaktion", "Oster-Angebote", "Mai-Rabatt", "Sommerstart",
          "Sommer-Sale", "Ferien-Special", "Herbst-Kampagne", "Oktober-Aktion", "Black Week", "Weihnachtsaktion")


@dataclass
class Campaign:
    campaign_id: str
    name: str
    channel: str
    utm: str
    audience: str  # B2B, B2C or all
    budget: Decimal
    cost: Decimal
    start: date
    end: date

    @property
    def lift(self) -> float:
        return LIFT[self.channel]


def _name(channel: str, audience: str, day: date) -> str:
    month, year, theme = MONTHS_DE[day.month - 1], day.year, THEMES[day.month - 1]
    if channel == "newsletter":
        return f"Newsletter {month} {year}"
    if channel == "email":
        return f"B2B-Mailing Wartungsverträge {month} {year}" if audience == "B2B" else f"Mailing {theme} {year}"
    label = {"banner": "Display", "social": "Social Ads", "print": "Print & Flyer", "tv": "TV-Spot"}[channel]
    return f"{theme} {year} ({label})"


def plan_campaigns(rng: random.Random, start: date, end: date, scale: float) -> list[Campaign]:
    """The campaign calendar of the whole window, in start order, with unique UTM slugs."""
    campaigns, used = [], set()
    month = start.replace(day=1)
    while month <= end:
        count = 2 if month.month in (3, 9, 10, 11, 12) or rng.random() < 0.35 else 1
        for _ in range(count):
            channel = CHANNELS.pick(rng)
            first = max(month + timedelta(days=rng.randint(0, 23)), start)
            if first > end:
                continue
            last = first + timedelta(days=rng.randint(*DURATION_DAYS[channel]) - 1)
            audience = rng.choice(("B2B", "B2C")) if channel == "email" else "all"
            name = _name(channel, audience, first)
            utm = names.slug(name)
            while utm in used:
                utm += "-2"
            used.add(utm)
            budget = Decimal(round(rng.uniform(*BUDGET_EUR[channel]) * scale / 50) * 50 + 50).quantize(Decimal("0.01"))
            cost = (budget * Decimal(str(round(rng.uniform(0.85, 1.08), 3)))).quantize(Decimal("0.01"))
            campaigns.append(Campaign("", name, channel, utm, audience, budget, cost, first, last))
        month = add_months(month, 1)
    campaigns.sort(key=lambda c: (c.start, c.utm))
    for i, c in enumerate(campaigns):
        c.campaign_id = f"CP{i + 1:04d}"
    return campaigns


def lift_by_day(campaigns: list[Campaign]) -> dict[date, float]:
    """Summed demand lift of the broad-reach campaigns running on each day."""
    lift: dict[date, float] = {}
    for c in campaigns:
        day = c.start
        while day <= c.end:
            lift[day] = lift.get(day, 0.0) + c.lift
            day += timedelta(days=1)
    return lift


def campaign_versions(c: Campaign) -> list:
    """Planned when announced a week ahead; the final version carries the invoiced cost."""
    announced = at(c.start - timedelta(days=7), 10 * 3600)
    settled = at(c.end + timedelta(days=5), 11 * 3600)
    row = (c.campaign_id, c.name, c.channel, c.utm, c.budget, "EUR", c.start, c.end, announced)
    final = (c.campaign_id, c.name, c.channel, c.utm, c.cost, "EUR", c.start, c.end, settled)
    return [(announced, row), (settled, final)]
