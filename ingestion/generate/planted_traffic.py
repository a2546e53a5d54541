"""The extra visits of `conversion_mix_shift`: a coupon portal sends visitors who never buy.

They come from a web-analytics stream of their own (own random stream, session ids `WSP…`,
visitor ids far from the usual ones), so every usual session and conversion stays as it is and
the overall conversion rate falls by mix alone: the portal's own rate is zero before and after.
"""
from __future__ import annotations

from datetime import date

from . import scenarios as sc
from .rand import poisson, stream
from .web import Web

VISITOR_BASE = 2 * 10 ** 9  # anonymous visitors count from 0, customers from 10**9


class PlantedTraffic:
    """Writes the portal's sessions day by day during the scenario's month, in step with demand."""

    def __init__(self, seed: int, out, web: Web, plants):
        self.plants, self.usual = plants, web
        self.web = Web(stream(seed, "scenario:conversion_mix_shift"), out, web.campaigns, web.social, 0, plants.export_end,
                       prefix="WSP", visitor_base=VISITOR_BASE)

    def day(self, day: date, demand) -> None:
        if not self.plants.active("conversion_mix_shift", day):
            return
        source, medium, campaign, landing = sc.AFFILIATE
        for _ in range(poisson(self.web.rng, sc.AFFILIATE_SHARE * self.usual.anonymous_rate * demand.overall)):
            self.web.anonymous_visit(day, source, medium, campaign, landing)
