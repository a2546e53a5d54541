"""Contracts (subscriptions): maintenance, app and coffee-bean plans with a monthly fee.

A contract is cancelled when its customer churns (or, rarely, on its own) and ends at the end
of the month in which the notice period expires. Active contracts are debited monthly by SEPA
direct debit. Contracts are planned up front with the customers, since they are as few.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from . import catalog
from .clock import add_months, at, month_end, next_business_day

SHARE = {"B2B": 0.35, "B2C": 0.08}
NOTICE_MONTHS = {"B2B": 3, "B2C": 1}


@dataclass
class Contract:
    contract_id: str
    customer: object
    product_id: str
    monthly_value: Decimal
    currency: str
    signed: datetime
    start_date: date
    cancelled: datetime | None
    effective: date | None


def plan_contracts(rng: random.Random, customers: list, fx, start: date, end: date) -> list[Contract]:
    """Who holds a contract, signed soon after becoming a customer and cancelled when churning;
    ids follow signing order."""
    contracts = []
    for c in customers:
        if rng.random() >= SHARE[c.segment]:
            continue
        signed_day = c.created_day + timedelta(days=rng.randint(0, 200 if c.funnel is None else 60))
        if signed_day > end or (c.churn is not None and signed_day >= c.churn):
            continue
        product_id = rng.choice(list(catalog.SUBSCRIPTIONS))
        fee = catalog.SUBSCRIPTIONS[product_id] * (rng.randint(1, 6) if c.segment == "B2B" else 1)
        cancel_day = c.churn
        if cancel_day is None and rng.random() < 0.1:
            cancel_day = signed_day + timedelta(days=rng.randint(60, 700))
        cancelled = effective = None
        if cancel_day is not None:
            cancelled = at(cancel_day, rng.randint(8 * 3600, 18 * 3600))
            effective = month_end(add_months(cancel_day, NOTICE_MONTHS[c.segment]))
        signed = at(signed_day, rng.randint(8 * 3600, 18 * 3600))
        fee = fee if c.currency == "EUR" else fx.to_currency(fee, c.currency, max(signed_day, start))
        contracts.append(Contract("", c, product_id, fee, c.currency, signed, add_months(signed_day, 1), cancelled, effective))
    contracts.sort(key=lambda k: k.signed)
    for i, k in enumerate(contracts):
        k.contract_id = f"V{i + 1:06d}"
        k.customer.contract = k
    return contracts


class Subscriptions:
    """Exports contract versions on signing and cancellation days and debits fees monthly."""

    def __init__(self, out, bank, contracts: list[Contract], start: date):
        self.out, self.bank, self.start = out, bank, start
        self.signing: dict[date, list[Contract]] = {}
        self.cancelling: dict[date, list[Contract]] = {}
        for k in contracts:
            self.signing.setdefault(max(k.signed.date(), start), []).append(k)
            if k.cancelled is not None:
                self.cancelling.setdefault(max(k.cancelled.date(), start), []).append(k)
        self.contracts = contracts

    def _row(self, k: Contract, cancelled: bool, updated: datetime) -> tuple:
        return (k.contract_id, k.customer.customer_id, k.product_id, k.monthly_value, k.currency, k.signed, k.start_date,
                k.effective if cancelled else None, k.cancelled if cancelled else None,
                k.effective if cancelled else None, updated)

    def _cancelled_same_month(self, k: Contract) -> bool:
        """A monthly delivery carries only a contract's last version of that month."""
        if k.cancelled is None:
            return False
        signed, cancelled = max(k.signed.date(), self.start), max(k.cancelled.date(), self.start)
        return (signed.year, signed.month) == (cancelled.year, cancelled.month)

    def day(self, day: date) -> None:
        for k in self.signing.get(day, []):
            if not self._cancelled_same_month(k):
                self.out.write("contracts", k.signed.date(), self._row(k, False, k.signed))
        for k in self.cancelling.get(day, []):
            self.out.write("contracts", k.cancelled.date(), self._row(k, True, k.cancelled))
        if day.day == 1:
            debit_day = next_business_day(day + timedelta(days=1))
            label = f"{day.month:02d}/{day.year}"
            for k in self.contracts:
                if k.start_date <= day and (k.effective is None or day <= k.effective) and k.signed.date() <= day:
                    self.bank.debit(k, debit_day, label)
