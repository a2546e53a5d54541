"""Which customers exist and have not churned on the simulated day.

Modules pick customers for random events (tickets, surveys, browsing) from this list; it grows
as customers are created and is pruned of churned ones once a month, so a pick can still hit a
customer who churned this month and callers check `active_on`.
"""
from __future__ import annotations

import random
from datetime import date

from .world import Customer, World


class Population:
    """The active customer list, kept small enough to draw from quickly."""

    def __init__(self, world: World, start: date):
        self.world = world
        self.active: list[Customer] = [c for c in world.pre_existing if c.active_on(start)]

    def advance(self, day: date) -> None:
        self.active.extend(self.world.created_on.get(day, []))
        if day.day == 1:
            self.active = [c for c in self.active if c.active_on(day)]

    def pick(self, rng: random.Random, day: date, segment: str | None = None, tries: int = 20) -> Customer | None:
        """A uniformly drawn active customer (of `segment`, if given), or None when unlucky."""
        if not self.active:
            return None
        for _ in range(tries):
            c = self.active[int(rng.random() * len(self.active))]
            if c.active_on(day) and (segment is None or c.segment == segment):
                return c
        return None
