"""The headline numbers of the last complete month, for the end of `make run` and for the UI."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# (column in marts.kpi_monthly, label, kind)
HEADLINE_KPIS = [
    ("revenue_net", "Umsatz netto (revenue_net)", "eur"),
    ("orders", "Aufträge (orders)", "int"),
    ("new_customers", "Neukunden (new_customers)", "int"),
    ("arpc", "Ø Umsatz pro Kunde (arpc)", "eur"),
    ("avg_order_value", "Ø Auftragswert (avg_order_value)", "eur"),
    ("cancellation_rate", "Stornoquote (cancellation_rate)", "pct"),
]


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
    kpis = [k for k, _, _ in HEADLINE_KPIS if k in present]
    changes = [f"{k}_change_prior_year" for k in kpis if f"{k}_change_prior_year" in present]
    cols = ", ".join(kpis + changes)
    row = con.execute(f"SELECT {cols} FROM marts.kpi_monthly WHERE month_start = ?", [month]).fetchall()[0]
    values = dict(zip(kpis, row[: len(kpis)]))
    change_values = {c.removesuffix("_change_prior_year"): v for c, v in zip(changes, row[len(kpis):])}
    return Headline(month, values, change_values)


def _fmt(value, kind: str) -> str:
    if value is None:
        return "n/a"
    if kind == "eur":
        return f"{float(value):,.2f} EUR"
    if kind == "pct":
        return f"{float(value):.2%}"
    return f"{int(value):,}"


def format_headline(h: Headline) -> str:
    lines = [f"KPIs for {h.month:%Y-%m} (last complete month):"]
    for key, label, kind in HEADLINE_KPIS:
        if key in h.values:
            change = h.changes.get(key)
            vs = f"  ({float(change):+.1%} vs prior year)" if change is not None else ""
            lines.append(f"  {label:<36} {_fmt(h.values[key], kind):>18}{vs}")
    return "\n".join(lines)
