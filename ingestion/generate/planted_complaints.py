"""The extra complaints of `nps_region_service`: the planted region's customers complain more.

They come from a service desk and survey tool of their own (own random streams, ticket ids `TP…`,
answer ids `SRP…`), so the tickets and answers of the unplanted simulation stay as they are.
"""
from __future__ import annotations

from datetime import date

from . import scenarios as sc
from .clock import at
from .rand import poisson, stream
from .service import Service
from .surveys import Surveys


class PlantedComplaints:
    """Opens the region's additional complaints day by day during the scenario's month."""

    def __init__(self, seed: int, out, incident, plants):
        self.plants = plants
        self.rng = stream(seed, "scenario:nps_region_service")
        surveys = Surveys(stream(seed, "scenario:nps_region_service:surveys"), out, incident, plants, prefix="SRP")
        self.service = Service(self.rng, out, incident, surveys, plants, prefix="TP")

    def day(self, day: date, population) -> None:
        if not self.plants.active("nps_region_service", day):
            return
        rng = self.rng
        region = [c for c in population.active if c.region == sc.NPS_REGION and c.active_on(day)]
        for _ in range(poisson(rng, len(region) * sc.NPS["extra_complaints_per_customer_day"])):
            c = region[int(rng.random() * len(region))]
            self.service.open(c, at(day, rng.randint(7 * 3600, 21 * 3600)), "complaint")
