"""Savings-bank (Sparkasse) statement export "CSV-CAMT V2": the bank's own layout of
bank_transactions, with every value quoted, `dd.mm.yy` dates, signed amounts with decimal comma,
Windows-1252 and no transaction id (the mapping hashes the booking's fields into one).
"""
from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from . import names
from .vendor_export import VendorFile

HEADER = ["Auftragskonto", "Buchungstag", "Valutadatum", "Buchungstext", "Verwendungszweck", "Glaeubiger ID", "Mandatsreferenz",
          "Kundenreferenz (End-to-End)", "Sammlerreferenz", "Lastschrift Ursprungsbetrag", "Auslagenersatz Ruecklastschrift",
          "Beguenstigter/Zahlungspflichtiger", "Kontonummer/IBAN", "BIC (SWIFT-Code)", "Betrag", "Waehrung", "Info"]
ACCOUNT = "DE02120300000000202051"
START = date(2025, 3, 3)


def short_date(day: date) -> str:
    return f"{day.day:02d}.{day.month:02d}.{day.year % 100:02d}"


def _amount(value: Decimal) -> str:
    return format(value, "f").replace(".", ",")


def exports(rng: random.Random) -> list[VendorFile]:
    rows = []
    for i in range(16):
        day = START + timedelta(days=i)
        incoming = i % 3 != 2
        first, last = names.person(rng)
        amount = Decimal(rng.randint(5_000, 250_000)) / 100
        counterparty = f"{first} {last}" if incoming else rng.choice(["Vermieter AG", "Stadtwerke Köln", "Druckerei Müller GmbH"])
        purpose = f"RE-2025-{i + 100:06d} {last}" if incoming else f"Rechnung März {i + 1} €"
        rows.append([ACCOUNT, short_date(day), short_date(day + timedelta(days=i % 2)), "GUTSCHRIFT" if incoming else "LASTSCHRIFT",
                     purpose, "", "", "NOTPROVIDED" if incoming else f"E2E-{i:05d}", "", "", "", counterparty,
                     f"DE89370400440532{i:06d}", "COBADEFFXXX", _amount(amount if incoming else -amount), "EUR", "Umsatz gebucht"])
    return [VendorFile(("sparkasse_camt_csv",), "20250331-umsaetze-sparkasse.csv", HEADER, rows,
                       encoding="cp1252", delimiter=";", quote_all=True)]
