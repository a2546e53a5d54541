"""When demand happens: weekly and yearly seasonality, gentle growth and holiday closures.

The factors multiply a base rate, so a KPI series built from the output shows a Q4 peak, a
summer dip, weekday patterns that differ between business and household customers and a slow
upward trend - the shapes the trend and anomaly analysis must cope with.
"""
from __future__ import annotations

from datetime import date

# Monday..Sunday. Businesses order on workdays; households and web shoppers more at weekends.
WEEKDAY = {
    "B2B": (1.3, 1.25, 1.2, 1.2, 1.1, 0.25, 0.1),
    "B2C": (0.9, 0.85, 0.85, 0.9, 1.0, 1.3, 1.3),
}
# January..December: summer dip, Q4 peak (Black Week, Christmas).
MONTH = (0.9, 0.9, 1.0, 1.0, 0.95, 0.9, 0.78, 0.8, 1.0, 1.05, 1.3, 1.4)
GROWTH_PER_YEAR = 0.05
# Days most businesses are closed.
HOLIDAYS = {(1, 1), (5, 1), (10, 3), (12, 24), (12, 25), (12, 26), (12, 31)}


def season(day: date) -> float:
    """Yearly factor, interpolated between month midpoints so months do not step abruptly."""
    m = day.month - 1
    t = (day.day - 1) / 31
    if t < 0.5:
        return MONTH[m - 1] * (0.5 - t) + MONTH[m] * (0.5 + t)
    return MONTH[m] * (1.5 - t) + MONTH[(m + 1) % 12] * (t - 0.5)


def growth(day: date, start: date) -> float:
    """Slow business growth on top of the growing customer base."""
    return 1.0 + GROWTH_PER_YEAR * (day - start).days / 365.0


def weekday(segment: str, day: date) -> float:
    """Weekday factor of a segment; businesses barely order on public holidays."""
    factor = WEEKDAY[segment][day.weekday()]
    if segment == "B2B" and (day.month, day.day) in HOLIDAYS:
        factor *= 0.1
    return factor


class Demand:
    """Day factors per segment, computed once per simulated day."""

    def __init__(self, start: date):
        self.start = start
        self.day: date | None = None
        self.factor = {"B2B": 1.0, "B2C": 1.0}

    def set_day(self, day: date, campaign_lift: float) -> None:
        """Fix the factors of `day`; broad-reach campaigns lift both segments."""
        self.day = day
        base = season(day) * growth(day, self.start) * (1.0 + campaign_lift)
        self.factor = {seg: base * weekday(seg, day) for seg in WEEKDAY}

    @property
    def overall(self) -> float:
        return 0.3 * self.factor["B2B"] + 0.7 * self.factor["B2C"]
