"""The planted deterioration: in region Ost the logistics partner fails during the last 90 days.

Deliveries there take longer, so more orders are cancelled, more complaints about delivery are
raised, satisfaction drops, customers order less and some churn. The analysis layer should find
this as a risk whose root cause is region = Ost and ticket category = delivery.
"""
from __future__ import annotations

from datetime import date, timedelta

REGION = "Ost"
WINDOW_DAYS = 90


class Incident:
    def __init__(self, end: date):
        self.first_day = end - timedelta(days=WINDOW_DAYS - 1)

    def hits(self, region: str, day: date) -> bool:
        return region == REGION and day >= self.first_day

    def order_factor(self, region: str, day: date) -> float:
        return 0.6 if self.hits(region, day) else 1.0

    def cancel_factor(self, region: str, day: date) -> float:
        return 3.0 if self.hits(region, day) else 1.0

    def complaint_factor(self, region: str, day: date) -> float:
        return 3.5 if self.hits(region, day) else 1.0

    def extra_delivery_days(self, region: str, day: date) -> int:
        return 6 if self.hits(region, day) else 0

    def satisfaction_shift(self, region: str, day: date) -> int:
        """Points subtracted from NPS (0-10) answers; CSAT answers lose half of it."""
        return 3 if self.hits(region, day) else 0
