"""Seeded random sub-streams and the few distributions the generator needs.

Each part of the world draws from its own `random.Random(f"{seed}:{name}")`, so adding draws in
one part never shifts the numbers of another, and string seeds are hashed with SHA-512 by the
standard library (not with the per-process `hash()`), so runs are reproducible byte for byte.
"""
from __future__ import annotations

import math
import random
from bisect import bisect_right
from itertools import accumulate


def stream(seed: int, name: str) -> random.Random:
    return random.Random(f"{seed}:{name}")


def poisson(rng: random.Random, lam: float) -> int:
    """Poisson draw: Knuth's product method when small, a rounded normal when large."""
    if lam <= 0:
        return 0
    if lam > 40:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, product = math.exp(-lam), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


class Weighted:
    """A fixed categorical distribution, precomputed once and sampled in O(log n)."""

    def __init__(self, table: dict):
        self.values = list(table)
        self.cumulative = list(accumulate(table.values()))
        self.total = self.cumulative[-1]

    def pick(self, rng: random.Random):
        return self.values[bisect_right(self.cumulative, rng.random() * self.total)]


def lognormal(rng: random.Random, median: float, sigma: float) -> float:
    return median * math.exp(rng.gauss(0.0, sigma))
