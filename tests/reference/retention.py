"""Retention KPIs: repeat buyers and purchase frequency from orders, churned customers from
orders and contracts.

Churn follows the spec's two rules. Contractual: a contract's cancellation takes effect (its
`cancellation_effective_date`) in the month. Non-contractual: on some day of the month the
customer's last non-cancelled order up to that day is exactly 365 days old, i.e. an order on
day d and none in (d, d + 365] makes the customer churn on d + 365 (a customer who returns later
and lapses again churns again). A customer counts once per month.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

from .exports import latest_by_ts, month_of, parse_date, ratio, read_rows
from .orders import Order, first_orders, orders

CHURN_DAYS = 365


def retention_kpis(landing: Path) -> dict[date, dict[str, object]]:
    """Every month from the first to the last order: repeat_buyers (customers ordering in the month
    whose first non-cancelled order was before it), repeat_purchase_rate (/ ordering customers),
    purchase_frequency (non-cancelled orders / ordering customers) and churned_customers."""
    all_orders = orders(landing)
    first = first_orders(all_orders)
    placed: dict[date, int] = defaultdict(int)
    buyers: dict[date, set] = defaultdict(set)
    for o in all_orders:
        if not o.cancelled:
            placed[month_of(o.local_date)] += 1
            buyers[month_of(o.local_date)].add(o.customer_id)
    churned = churned_by_month(landing, all_orders)
    out = {}
    for month in months_between(min(o.local_date for o in all_orders), max(o.local_date for o in all_orders)):
        customers = buyers[month]
        repeat = sum(1 for c in customers if first[c] < month)
        out[month] = {
            "repeat_buyers": repeat,
            "repeat_purchase_rate": ratio(repeat, len(customers)),
            "purchase_frequency": ratio(placed[month], len(customers)),
            "churned_customers": len(churned[month]),
        }
    return out


def months_between(first: date, last: date) -> list[date]:
    months, month = [], month_of(first)
    while month <= last:
        months.append(month)
        month = month_of(month + timedelta(days=31))
    return months


def churned_by_month(landing: Path, all_orders: list[Order]) -> dict[date, set[str]]:
    """Customers with a contractual or non-contractual churn, per month (may reach past the data)."""
    churned: dict[date, set] = defaultdict(set)
    for c in latest_by_ts(read_rows(landing, "crm", "contracts"), ("contract_id",), "updated_at"):
        if c["cancellation_effective_date"]:
            churned[month_of(parse_date(c["cancellation_effective_date"], c["_german"]))].add(c["customer_id"])
    order_days: dict[str, list[date]] = defaultdict(list)
    for o in all_orders:
        if not o.cancelled:
            order_days[o.customer_id].append(o.local_date)
    for customer, days in order_days.items():
        days = sorted(set(days))
        for day, following in zip(days, days[1:] + [None]):
            lapse = day + timedelta(days=CHURN_DAYS)
            if following is None or following > lapse:
                churned[month_of(lapse)].add(customer)
    return churned
