"""Planted scenarios: the known causes the analysis must find, chosen with `--scenario`.

Each scenario changes one thing in one month (`scenario_plan` picks the month and writes the
manifest that records it). Plants draw from their own random streams and id ranges and only
rescale values the simulation draws anyway, so with the same seed every other row stays byte for
byte what it is without them. `immature_last_month` is the opposite of a cause: a cut
export whose last months the analysis must not flag.
"""
from __future__ import annotations

from dataclasses import dataclass

from .service import COMPLAINTS_PER_CUSTOMER_DAY


@dataclass(frozen=True)
class Scenario:
    id: str
    kpi: str  # registry id of the KPI it moves
    dimension: str  # registry dimension holding the cause
    value: str
    direction: str  # down, up, or none (must not be flagged)
    decomposition: str  # contribution (sums), mix or rate (ratios), maturity
    size: dict  # the plant's parameters, by name
    entities: tuple[str, ...]  # entities whose files it changes (from its month on; "*": all)
    mechanism: str


NPS_REGION = "West"
NPS = {"nps_points": -5, "extra_complaints_per_customer_day": 0.002, "resolution_factor": 2.0}
AFFILIATE = ("gutschein-portal.de", "affiliate", "gutschein-portal", "/gutscheine")  # source, medium, campaign, landing
AFFILIATE_SHARE = 0.5  # sessions per usual anonymous session
DIP_CATEGORY = "Verbrauchsmaterial"
DIP_PRICE_FACTOR = 0.3
SPIKE_CATEGORY = "service"
SPIKE_FACTOR = 2.5
CUT_DAY = 5

CATALOGUE = {s.id: s for s in (
    Scenario("nps_region_service", "nps", "region", NPS_REGION, "down", "rate", NPS,
             ("tickets", "survey_responses"),
             f"customers in {NPS_REGION} open {NPS['extra_complaints_per_customer_day']:g} extra complaints a day each "
             f"({NPS['extra_complaints_per_customer_day'] / COMPLAINTS_PER_CUSTOMER_DAY:g} times the usual rate of "
             "complaints out of the blue), tickets there take "
             f"{NPS['resolution_factor']:g} times as long to resolve, and their NPS answers move by {NPS['nps_points']} "
             "points; the number of NPS answers per region is unchanged"),
    Scenario("conversion_mix_shift", "conversion_rate", "utm_source", AFFILIATE[0], "down", "mix",
             {"sessions_per_anonymous_session": AFFILIATE_SHARE, "conversion_rate": 0.0},
             ("web_sessions", "web_events"),
             f"a coupon portal ({AFFILIATE[0]} / {AFFILIATE[1]}) sends anonymous visitors who never buy, "
             f"{AFFILIATE_SHARE:g} per usual anonymous visit; every other source keeps its sessions and conversions"),
    Scenario("category_revenue_dip", "revenue_net", "product_category", DIP_CATEGORY, "down", "contribution",
             {"price_factor": DIP_PRICE_FACTOR},
             ("order_lines", "returns", "bank_transactions", "web_events"),
             f"net unit prices of {DIP_CATEGORY} are multiplied by {DIP_PRICE_FACTOR:g} (a price war); orders, "
             "lines and quantities are unchanged"),
    Scenario("cost_spike", "cost_by_category", "cost_category", SPIKE_CATEGORY, "up", "contribution",
             {"recurring_cost_factor": SPIKE_FACTOR},
             ("cost_bookings", "bank_transactions"),
             f"the recurring {SPIKE_CATEGORY} invoices of the month are {SPIKE_FACTOR:g} times their usual amount"),
    Scenario("immature_last_month", "payment_match_rate", "", "", "none", "maturity", {"cut_day": CUT_DAY}, ("*",),
             f"the export ends on day {CUT_DAY} of its month (the month after --scenario-month, by default the "
             "window's last month): that month holds a few days, the month before lacks the payments of its late "
             "orders; no KPI of a period inside its maturity lag may be flagged"),
)}


def chosen(names: list[str]) -> list[str]:
    """The scenario ids asked for, `all` expanded, each once, in catalogue order."""
    unknown = [n for n in names if n not in CATALOGUE and n != "all"]
    if unknown:
        raise ValueError(f"unknown scenario {unknown[0]!r}; choose from {', '.join(CATALOGUE)} or all")
    return [s for s in CATALOGUE if s in names or "all" in names]
