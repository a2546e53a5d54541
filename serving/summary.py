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
    month = last_complete_month(con)
    if month is None:
        return None
    present = {r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'marts' AND table_name = 'kpi_monthly'"
    ).fetchall()}
    shown = [k for k in HEADLINE_KPIS if k in present]
    changes = [f"{k}_change_prior_year" for k in shown if f"{k}_change_prior_year" in present]
    cols = ", ".join(shown + changes)
    row = con.execute(f"SELECT {cols} FROM marts.kpi_monthly WHERE month_start = ?", [month]).fetchall()[0]
    values = dict(zip(shown, row[: len(shown)]))
    change_values = {c.removesuffix("_change_prior_year"): v for c, v in zip(changes, row[len(shown):])}
    return Headline(month, values, change_values)


def format_headline(h: Headline) -> str:
    numbers, registry = formatter("en"), kpis.load().by_id()
    lines = [f"KPIs for {h.month:%Y-%m} (last complete month):"]
    for key in HEADLINE_KPIS:
        if key in h.values:
            change = h.changes.get(key)
            vs = f"  ({numbers.change(change)} vs prior year)" if change is not None else ""
            label = f"{registry[key].name_de} ({key})"
            lines.append(f"  {label:<36} {numbers.value(h.values[key], registry[key].unit):>18}{vs}")
    return "\n".join(lines)
