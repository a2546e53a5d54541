"""Orders as the reference sees them, and the revenue and sales KPIs of kpi_monthly.

An order's net value is the sum of quantity × net unit price of its latest line versions,
converted to EUR at the rate of its local order date; refunds of its returns reduce revenue_net.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from .exports import CENT, FxTable, latest, local_date, month_of, parse_dec, parse_ts, read_rows


@dataclass
class Order:
    order_id: str
    customer_id: str
    local_date: date
    cancelled: bool
    net_eur: Decimal
    refund_eur: Decimal


def orders(landing: Path) -> list[Order]:
    heads = latest(read_rows(landing, "crm", "orders"), ("order_id",), lambda r: parse_ts(r["updated_at"], r["_german"]))
    lines = latest(read_rows(landing, "crm", "order_lines"), ("order_id", "line_number"),
                   lambda r: parse_ts(r["updated_at"], r["_german"]))
    returns = latest(read_rows(landing, "crm", "returns"), ("return_id",), lambda r: parse_ts(r["returned_at"], r["_german"]))
    net: dict[str, Decimal] = defaultdict(Decimal)
    for (order_id, _), line in lines.items():
        g = line["_german"]
        net[order_id] += int(line["quantity"]) * parse_dec(line["net_unit_price"], g)
    refunds: dict[str, Decimal] = defaultdict(Decimal)
    for ret in returns.values():
        refunds[ret["order_id"]] += parse_dec(ret["refund_amount"], ret["_german"])
    fx = FxTable(landing)
    result = []
    for (order_id,), head in heads.items():
        local = local_date(parse_ts(head["ordered_at"], head["_german"]))
        rate = fx.rate(head["currency"], local)
        result.append(Order(
            order_id, head["customer_id"], local, head["status"] == "cancelled",
            (net[order_id] * rate).quantize(CENT, ROUND_HALF_UP),
            (refunds[order_id] * rate).quantize(CENT, ROUND_HALF_UP),
        ))
    return result


def first_orders(all_orders: list[Order]) -> dict[str, date]:
    """Local date of each customer's first non-cancelled order."""
    first: dict[str, date] = {}
    for o in sorted(all_orders, key=lambda o: o.local_date):
        if not o.cancelled:
            first.setdefault(o.customer_id, o.local_date)
    return first


def monthly_kpis(landing: Path) -> dict[date, dict[str, object]]:
    """revenue_net, orders, cancellation_rate, new_customers, arpc per month (first day)."""
    all_orders = orders(landing)
    months: dict[date, dict[str, object]] = defaultdict(lambda: {"revenue_net": Decimal(0), "orders": 0, "cancelled": 0, "buyers": set()})
    for o in all_orders:
        m = months[month_of(o.local_date)]
        m["orders"] += 1
        if o.cancelled:
            m["cancelled"] += 1
        else:
            m["revenue_net"] += o.net_eur - o.refund_eur
            m["buyers"].add(o.customer_id)
    new = defaultdict(int)
    for first in first_orders(all_orders).values():
        new[month_of(first)] += 1
    out = {}
    for month, m in months.items():
        out[month] = {
            "revenue_net": m["revenue_net"],
            "orders": m["orders"],
            "cancellation_rate": m["cancelled"] / m["orders"] if m["orders"] else None,
            "new_customers": new[month],
            "arpc": m["revenue_net"] / len(m["buyers"]) if m["buyers"] else None,
        }
    return out

