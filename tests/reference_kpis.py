"""KPI values computed straight from the generated export files, independently of the pipeline,
and which mart columns the end-to-end test compares them with.

The computations live in `tests/reference/` (one module per KPI family, plain `csv` + `Decimal`
+ `zoneinfo`: no DuckDB, no loader code, no dbt). A bug in parsing, deduplication, currency
conversion, time zones or the KPI SQL shows up as a mismatch. Comparison rules: counts and money
exact (Decimal to the cent), rates and hours to 1e-9, NULL where the denominator is zero.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Callable

import pytest

from tests.reference.finance import cash_kpis, cost_kpis
from tests.reference.orders import monthly_kpis, orders
from tests.reference.retention import retention_kpis
from tests.reference.sales import sales_kpis
from tests.reference.service import satisfaction_kpis, service_kpis
from tests.reference.social import social_kpis
from tests.reference.web import web_kpis

__all__ = ["FAMILY_CHECKS", "FamilyCheck", "monthly_kpis", "orders"]

EXACT, RATE = "exact", "rate"


@dataclass(frozen=True)
class FamilyCheck:
    """One KPI family: its reference function, the mart it is compared with, and how per column."""
    family: str
    reference: Callable
    mart: str
    keys: tuple[str, ...]
    kinds: dict[str, str]  # mart column -> EXACT (counts, money) or RATE (fractions, hours, NPS points)

    @property
    def columns(self) -> list[str]:
        return list(self.kinds)

    def mismatches(self, expected: dict[tuple, dict], actual: dict[tuple, dict]) -> list[str]:
        """Every differing value as text; keys only the mart has must hold nothing (0 or NULL)."""
        out = []
        for key in sorted(actual):
            for column, kind in self.kinds.items():
                got = actual[key][column]
                if key not in expected:
                    if got not in (0, None):
                        out.append(f"{key} {column}: mart {got!r}, but the exports have nothing for this key")
                elif not _equal(kind, got, want := expected[key][column]):
                    out.append(f"{key} {column}: mart {got!r} != reference {want!r}")
        return out


def _equal(kind: str, got, want) -> bool:
    if got is None or want is None:
        return got is None and want is None
    if kind == EXACT:
        return Decimal(str(got)) == Decimal(want)
    return got == pytest.approx(float(want), abs=1e-9)


def _cost(landing):
    return {key: {"cost_by_category": value} for key, value in cost_kpis(landing).items()}


FAMILY_CHECKS = [
    FamilyCheck("service", service_kpis, "kpi_service_monthly", ("month_start",), {
        "tickets_created": EXACT, "complaints": EXACT, "first_response_hours_median": RATE,
        "resolution_hours_median": RATE, "tickets_resolved": EXACT, "reopen_rate": RATE, "ticket_backlog": EXACT}),
    FamilyCheck("satisfaction", satisfaction_kpis, "kpi_service_monthly", ("month_start",), {
        "csat_answers": EXACT, "csat_satisfied_share": RATE, "csat_unsatisfied_share": RATE, "csat_ratio": RATE,
        "satisfaction_index": RATE, "nps_answers": EXACT, "nps": RATE}),
    FamilyCheck("web", web_kpis, "kpi_web_monthly", ("month_start",), {
        "visitors": EXACT, "sessions": EXACT, "pages_per_session": RATE, "bounce_rate": RATE, "conversion_rate": RATE}),
    FamilyCheck("social", social_kpis, "kpi_social_monthly", ("month_start", "channel"), {
        "impressions": EXACT, "social_interactions": EXACT, "engagement_rate": RATE, "follower_growth": EXACT}),
    FamilyCheck("cash", cash_kpis, "kpi_cash_monthly", ("month_start",), {
        "cash_inflow": EXACT, "cash_outflow": EXACT, "net_cashflow": EXACT}),
    FamilyCheck("cost", _cost, "kpi_cost_monthly", ("month_start", "cost_category"), {"cost_by_category": EXACT}),
    FamilyCheck("sales", sales_kpis, "kpi_sales_monthly", ("month_start",), {
        "new_contracts_count": EXACT, "new_contracts_value": EXACT, "lost_orders_count": EXACT,
        "lost_orders_value": EXACT, "win_rate": RATE, "win_rate_value": RATE, "quote_acceptance_rate": RATE}),
    FamilyCheck("retention", retention_kpis, "kpi_retention_monthly", ("month_start",), {
        "repeat_buyers": EXACT, "repeat_purchase_rate": RATE, "purchase_frequency": RATE, "churned_customers": EXACT}),
]
