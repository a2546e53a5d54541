"""The headline numbers of the last complete month, for the end of `make run` and for the UI.

Names and units come from the KPI registry, numbers from its English formatter (the summary's
frame is English; each KPI keeps its German name beside its id, as the marts describe it).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import kpis
from kpis.formatting import formatter

# Columns of marts.kpi_monthly, in the order shown.
HEADLINE_KPIS = ("revenue_net", "orders", "new_customers", "arpc", "avg_order_value", "cancellation_rate")


@dataclass(frozen=True)
class Headline:
    month: date
    values: dict[str, object]
    changes: dict[str, object]


def last_complete_month(con) -> date | None:
    """The latest month that ends on or before the last order date in the data."""
    row = con.execute(
        """
        SELECT max(month_start) FROM marts.kpi_monthly
        WHERE month_start + INTERVAL 1 MONTH - INTERVAL 1 DAY
              <= (SELECT max(order_date) FROM marts.fct_orders)
        """
    ).fetchall()
    return row[0][0] if row else None


def headline(con) -> Headline | None:
    """The month's values and their change against the same month a year before, measured by each
    KPI's change kind: relative for amounts and counts, percentage points for rates, points for scores."""
    month = last_complete_month(con)
    if month is None:
        return None
    present = {r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'marts' AND table_name = 'kpi_monthly'"
    ).fetchall()}
    registry = kpis.load().by_id()
    shown = [k for k in HEADLINE_KPIS if k in present]
    priors = [k for k in shown if f"{k}_prior_year" in present]
    cols = ", ".join(shown + [f"{k}_prior_year" for k in priors])
    row = con.execute(f"SELECT {cols} FROM marts.kpi_monthly WHERE month_start = ?", [month]).fetchall()[0]
    values = dict(zip(shown, row[: len(shown)]))
    prior_values = dict(zip(priors, row[len(shown):]))
    changes = {k: change(values[k], prior_values[k], registry[k].change_kind) for k in priors}
    return Headline(month, values, {k: v for k, v in changes.items() if v is not None})


def change(value, prior, kind: str):
    """Relative change (a fraction), or the difference in (percentage) points; None without a base."""
    if value is None or prior is None:
        return None
    if kind == "relative":
        return None if prior == 0 else float(value) / float(prior) - 1
    return float(value - prior) * (100 if kind == "percentage_points" else 1)


def format_headline(h: Headline) -> str:
    numbers, registry = formatter("en"), kpis.load().by_id()
    lines = [f"KPIs for {h.month:%Y-%m} (last complete month):"]
    for key in HEADLINE_KPIS:
        if key in h.values:
            change = h.changes.get(key)
            vs = f"  ({numbers.change(change, registry[key].change_kind)} vs prior year)" if change is not None else ""
            label = f"{registry[key].name_de} ({key})"
            lines.append(f"  {label:<36} {numbers.value(h.values[key], registry[key].unit):>18}{vs}")
    return "\n".join(lines)
