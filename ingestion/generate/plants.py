"""What the chosen scenarios change inside the simulation, asked by the modules as they draw.

Every answer is neutral (no shift, factor 1) outside a plant's month, so a run without scenarios
writes exactly what it wrote before scenarios existed. Plants only rescale values that are drawn
anyway, never add or skip a draw of the shared streams; extra rows come from `planted_*` modules.
"""
from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from . import scenarios as sc

CENT = Decimal("0.01")


class Plants:
    """The chosen scenarios with their months (first day) and the export's last day."""

    def __init__(self, months: dict[str, date], export_end: date):
        self.months, self.export_end = months, export_end
        self.price_factor = Decimal(str(sc.DIP_PRICE_FACTOR))

    def active(self, scenario: str, day: date) -> bool:
        month = self.months.get(scenario)
        return month is not None and (day.year, day.month) == (month.year, month.month)

    def nps_shift(self, region: str, day: date) -> int:
        """Points added to the mean of an NPS answer."""
        return sc.NPS["nps_points"] if region == sc.NPS_REGION and self.active("nps_region_service", day) else 0

    def resolution_factor(self, region: str, day: date) -> float:
        """Factor on the resolution time of a ticket opened on `day`."""
        if region == sc.NPS_REGION and self.active("nps_region_service", day):
            return sc.NPS["resolution_factor"]
        return 1.0

    def reprice(self, lines: list, day: date) -> list:
        """Order lines `(product, quantity, price)` with the dipped category's prices cut."""
        if not self.active("category_revenue_dip", day):
            return lines
        return [(p, q, (price * self.price_factor).quantize(CENT, ROUND_HALF_UP) if p.category == sc.DIP_CATEGORY else price)
                for p, q, price in lines]

    def cost_factor(self, category: str, day: date) -> float:
        """Factor on a recurring cost booking."""
        return sc.SPIKE_FACTOR if category == sc.SPIKE_CATEGORY and self.active("cost_spike", day) else 1.0
