"""Value ranges that neither a contract nor a KPI unit expresses, as one declarative table.

Contracts say which columns are required and which values are allowed; they say nothing about
plausible magnitudes. Those business rules live here, one row each, so adding one is a one-line
change and a reviewer sees every range in one place. A rule names the table it is about: a raw
entity (its deliveries, and the staging model reading it, whose column keeps the name and unit),
a staging model or a mart. Ranges are Great Expectations' to check; dbt has none.
"""
from __future__ import annotations

from dataclasses import dataclass

from great_expectations.expectations.row_conditions import Column


@dataclass(frozen=True)
class RangeRule:
    """`min_value <= column <= max_value` (bounds optional); `strict_min` makes the lower bound `>`;
    `where` (column, value) limits the rule to the rows where that column has that value."""

    table: str  # raw entity, staging model or mart
    column: str
    min_value: float | None = None
    max_value: float | None = None
    strict_min: bool = False
    why: str = ""
    where: tuple[str, str] | None = None

    def config(self) -> dict:
        """The rule as a GX expectation configuration (missing values are not checked by GX)."""
        kwargs: dict = {"column": self.column, "min_value": self.min_value, "max_value": self.max_value}
        if self.strict_min:
            kwargs["strict_min"] = True
        if self.where:
            kwargs["row_condition"] = Column(self.where[0]) == self.where[1]
        return {"type": "expect_column_values_to_be_between", "kwargs": kwargs, "notes": self.why or None}


RANGE_RULES: tuple[RangeRule, ...] = (
    # raw entities (and their staging models)
    RangeRule("survey_responses", "score", 0, 10, why="NPS is 0-10 and CSAT 1-5, both inside 0-10"),
    RangeRule("order_lines", "quantity", 0, strict_min=True, why="returns are separate records, never negative lines"),
    RangeRule("order_lines", "net_unit_price", 0, why="discounts lower the price but never below zero"),
    RangeRule("fx_rates", "rate_to_reporting", 0, strict_min=True, why="a zero rate would erase every converted amount"),
    RangeRule("social_post_metrics", "impressions", 0, why="a count"),
    RangeRule("social_followers", "followers", 0, why="a count"),
    # staging models
    RangeRule("stg_crm__deals", "probability", 0, 1, why="a win probability is a fraction"),
    RangeRule("stg_crm__returns", "refund_amount", 0, why="a refund is booked as a positive amount"),
    RangeRule("stg_crm__survey_responses", "score", 1, 5, why="CSAT is answered on 1-5", where=("survey_type", "csat")),
    # marts (beyond the KPI units the registry gives, `kpi_units`)
    *(RangeRule("dim_customers", f"rfm_{part}_score", 1, 5, why="RFM scores are quintiles 1-5")
      for part in ("recency", "frequency", "monetary")),
)


def rules_for(table: str) -> list[RangeRule]:
    return [rule for rule in RANGE_RULES if rule.table == table]
