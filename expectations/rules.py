"""Value ranges that a contract cannot express, as one declarative table.

Contracts say which columns are required and which values are allowed; they say nothing about
plausible magnitudes. Those business rules live here, one row each, so adding one is a one-line
change and a reviewer sees every range in one place.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RangeRule:
    """`min_value <= column <= max_value` (bounds optional); `strict_min` makes the lower bound `>`."""

    entity: str
    column: str
    min_value: float | None = None
    max_value: float | None = None
    strict_min: bool = False
    why: str = ""

    def config(self) -> dict:
        """The rule as a GX expectation configuration (missing values are not checked by GX)."""
        kwargs: dict = {"column": self.column, "min_value": self.min_value, "max_value": self.max_value}
        if self.strict_min:
            kwargs["strict_min"] = True
        return {"type": "expect_column_values_to_be_between", "kwargs": kwargs, "notes": self.why or None}


RANGE_RULES: tuple[RangeRule, ...] = (
    RangeRule("survey_responses", "score", 0, 10, why="NPS is 0-10 and CSAT 1-5, both inside 0-10"),
    RangeRule("order_lines", "quantity", 0, strict_min=True, why="returns are separate records, never negative lines"),
    RangeRule("order_lines", "net_unit_price", 0, why="discounts lower the price but never below zero"),
    RangeRule("fx_rates", "rate_to_reporting", 0, strict_min=True, why="a zero rate would erase every converted amount"),
    RangeRule("social_post_metrics", "impressions", 0, why="a count"),
    RangeRule("social_followers", "followers", 0, why="a count"),
)


def rules_for(entity: str) -> list[RangeRule]:
    return [rule for rule in RANGE_RULES if rule.entity == entity]
