"""Cashflow (bank transactions) and cost (cost bookings) KPIs per month of the booking date.

Bank amounts are signed (inflows positive) and some are in CHF: each is converted to EUR at the
`fx_rates` rate of its booking date and rounded to the cent before summing.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

from .exports import FxTable, latest_by_date, month_of, parse_date, parse_dec, read_rows


def cash_kpis(landing: Path) -> dict[date, dict[str, object]]:
    """cash_inflow / cash_outflow (sums of positive / negative bank amounts in EUR, outflow as a
    positive number) and net_cashflow (inflow − outflow) by booking date."""
    fx = FxTable(landing)
    inflow: dict[date, Decimal] = defaultdict(Decimal)
    outflow: dict[date, Decimal] = defaultdict(Decimal)
    for t in latest_by_date(read_rows(landing, "finance", "bank_transactions"), ("transaction_id",), "booking_date"):
        g = t["_german"]
        booked = parse_date(t["booking_date"], g)
        eur = fx.to_eur(parse_dec(t["amount"], g), t["currency"], booked)
        if eur > 0:
            inflow[month_of(booked)] += eur
        else:
            outflow[month_of(booked)] -= eur
    return {m: {"cash_inflow": inflow[m], "cash_outflow": outflow[m], "net_cashflow": inflow[m] - outflow[m]}
            for m in set(inflow) | set(outflow)}


def cost_kpis(landing: Path) -> dict[tuple[date, str], Decimal]:
    """cost_by_category: cost bookings (EUR) per (month of booking date, category)."""
    fx = FxTable(landing)
    cost: dict[tuple, Decimal] = defaultdict(Decimal)
    for b in latest_by_date(read_rows(landing, "finance", "cost_bookings"), ("booking_id",), "booking_date"):
        g = b["_german"]
        booked = parse_date(b["booking_date"], g)
        cost[(month_of(booked), b["cost_category"])] += fx.to_eur(parse_dec(b["amount"], g), b["currency"], booked)
    return dict(cost)
