"""The bank account: customer payments, refunds, direct debits of contracts and payments to
vendors, each with a purpose text as people and banks write it.

Most purpose texts carry the invoice's payment reference; some carry it mistyped or not at all,
so payment matching has something to fail on. Amounts are signed: inflows positive.
"""
from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from .clock import next_business_day
from .profiles import DE

OWN_BANK_CODES = ("37040044", "50010517", "86055592", "10050000", "70150000", "20050550", "30050110")


def german_iban(rng: random.Random) -> str:
    """DE + ISO 7064 mod-97 check digits + bank code + account number: passes IBAN validation."""
    bban = rng.choice(OWN_BANK_CODES) + f"{rng.randint(0, 10 ** 10 - 1):010d}"
    check = 98 - int(bban + "131400") % 97
    return f"DE{check:02d}{bban}"


def _euro_text(amount: Decimal) -> str:
    return DE.formatters["decimal"](amount) + " €"


class Bank:
    """Writes bank transactions; booking days fall on working days like a real statement."""

    def __init__(self, rng: random.Random, out):
        self.rng, self.out = rng, out
        self.seq = 0

    def _book(self, day: date, amount: Decimal, currency: str, counterparty: str, iban: str, purpose: str) -> None:
        """One statement line; the value date is sometimes the next working day."""
        self.seq += 1
        booking = next_business_day(day)
        value_date = booking if self.rng.random() < 0.8 else next_business_day(booking + timedelta(days=1))
        self.out.write("bank_transactions", booking,
                       (f"BT{self.seq:08d}", booking, value_date, amount, currency, counterparty, iban, purpose))

    def _iban(self, c) -> str:
        """Each customer pays from one account, created on first use."""
        if c.iban is None:
            c.iban = german_iban(self.rng)
        return c.iban

    def order_payment(self, c, order_day: date, reference: str, total: Decimal, currency: str) -> None:
        """Most invoices are paid in full 5-40 days later; some in two parts, a few never."""
        rng = self.rng
        if rng.random() < 0.04:
            return
        delay = rng.randint(5, 14) if c.segment == "B2C" else rng.randint(10, 40)
        day = order_day + timedelta(days=delay)
        if rng.random() < 0.03 and total > 1:
            first = (total / 2).quantize(Decimal("0.01"))
            self._book(day, first, currency, c.name, self._iban(c), f"Teilzahlung 1/2 {reference}")
            self._book(day + timedelta(days=14), total - first, currency, c.name, self._iban(c), f"Teilzahlung 2/2 {reference}")
            return
        self._book(day, total, currency, c.name, self._iban(c), self._purpose(rng, c, reference, total, order_day))

    def _purpose(self, rng: random.Random, c, reference: str, total: Decimal, order_day: date) -> str:
        """Purpose text as customers type it: mostly with the reference, sometimes garbled or without."""
        kind = rng.random()
        if kind < 0.52:
            return f"{reference} Kd-Nr. {c.customer_id}"
        if kind < 0.62:
            return f"{reference}; {c.name}"
        if kind < 0.77:
            return f"Rechnung {reference} vom {order_day:%d.%m.%Y}"
        if kind < 0.92:
            return f"Zahlung {reference} {c.name} {_euro_text(total)}"
        if kind < 0.96:
            return f"Überweisung {reference.replace('-', '')}"
        if kind < 0.98:
            return f"Zahlung {reference[:-1]}"
        return f"Zahlung Bestellung vom {order_day:%d.%m.%Y}"

    def refund(self, c, day: date, return_id: str, reference: str, amount: Decimal, currency: str) -> None:
        self._book(day, -amount, currency, c.name, self._iban(c), f"Erstattung Retoure {return_id} zu {reference}")

    def debit(self, contract, day: date, month_label: str) -> None:
        """SEPA direct debit of a subscription; about one in a hundred bounces a few days later."""
        c = contract.customer
        purpose = f"SEPA-Lastschrift {contract.contract_id} {month_label} {_euro_text(contract.monthly_value)}"
        self._book(day, contract.monthly_value, contract.currency, c.name, self._iban(c), purpose)
        if self.rng.random() < 0.01:
            self._book(day + timedelta(days=self.rng.randint(2, 6)), -contract.monthly_value, contract.currency, c.name,
                       self._iban(c), f"Rücklastschrift {contract.contract_id} {month_label} mangels Deckung")

    def pay_vendor(self, day: date, amount: Decimal, vendor: str, iban: str, purpose: str) -> None:
        self._book(day, -amount, "EUR", vendor, iban, purpose)
