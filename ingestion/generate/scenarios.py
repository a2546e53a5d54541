"""Planted scenarios: known causes the analysis must find, chosen with `--scenario`.

Each scenario changes one thing in one month and records it in `scenarios.json` (the truth the
tests and the analysis checks read). Plants draw from their own random streams and id ranges and
only rescale values the simulation draws anyway, so with the same seed every other row stays
byte for byte what it is without them. A plant lands, by default, in the latest month whose KPI
is final at the export end (its maturity lag in `kpis/registry.yml`), so the analysis is
expected to flag it; `immature_last_month` is the opposite: a month that must not be flagged.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from kpis import load as load_registry

from .clock import add_months, month_end
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


MANIFEST = "scenarios.json"


def chosen(names: list[str]) -> list[str]:
    """The scenario ids asked for, `all` expanded, each once, in catalogue order."""
    unknown = [n for n in names if n not in CATALOGUE and n != "all"]
    if unknown:
        raise ValueError(f"unknown scenario {unknown[0]!r}; choose from {', '.join(CATALOGUE)} or all")
    return [s for s in CATALOGUE if s in names or "all" in names]


def _month(value: date) -> str:
    return f"{value:%Y-%m}"


def export_end(chosen: list[str], month: date | None, end: date) -> date:
    """The last day in the export: the window's end, or the cut of `immature_last_month` a few days
    into the month after `month` (by default into the window's last month)."""
    if "immature_last_month" not in chosen:
        return end
    cut = (add_months(month, 1) if month else end).replace(day=CUT_DAY)
    if cut > end:
        raise ValueError(f"immature_last_month: the export would end on {cut}, after the window's end {end}; "
                         "choose an earlier --scenario-month or a later --end")
    return cut


def plant_months(chosen: list[str], month: date | None, start: date, end: date) -> dict[str, date]:
    """First day of each chosen scenario's month; checks that a plant has a month before it to be
    compared with and is complete in the export."""
    last = export_end(chosen, month, end)
    lags = {k.id: k.maturity_lag_days for k in load_registry().kpis}
    months = {}
    for name in chosen:
        if name == "immature_last_month":
            months[name] = last.replace(day=1)
            continue
        planted = month or _latest_mature(last, lags[CATALOGUE[name].kpi])
        if planted <= start.replace(day=1) or month_end(planted) > last:
            raise ValueError(f"scenario {name}: month {_month(planted)} must be complete in the export "
                             f"({start} to {last}) and have a month before it; choose another --scenario-month")
        months[name] = planted
    return months


def _latest_mature(last: date, lag_days: int) -> date:
    """The latest month that ends at least `lag_days` before the export end."""
    month = last.replace(day=1)
    while month_end(month) + timedelta(days=lag_days) > last:
        month = add_months(month, -1)
    return month


def write_manifest(out: Path, months: dict[str, date], seed: int, start: date, last: date) -> Path | None:
    """Write `scenarios.json` into the landing zone's root (the loader ignores files there), or
    remove one a previous run left when nothing is planted now."""
    path = Path(out) / MANIFEST
    if not months:
        path.unlink(missing_ok=True)
        return None
    path.write_text(json.dumps(manifest(months, seed, start, last), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def manifest(months: dict[str, date], seed: int, start: date, last: date) -> dict:
    """What was planted: one entry per scenario with its month, cause, expected direction and size."""
    entries = []
    for name, month in months.items():
        s = CATALOGUE[name]
        entries.append({"id": s.id, "month": _month(month), "kpi": s.kpi, "dimension": s.dimension, "value": s.value,
                        "direction": s.direction, "decomposition": s.decomposition, "size": s.size,
                        "entities": list(s.entities), "mechanism": s.mechanism})
    return {"seed": seed, "start": start.isoformat(), "export_end": last.isoformat(), "scenarios": entries}
