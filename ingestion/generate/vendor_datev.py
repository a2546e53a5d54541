"""DATEV booking batch (Buchungsstapel) in the EXTF format, as accounting tools hand it over.

Line 1 is the EXTF preamble (field 13: fiscal year start, 15/16: the batch's date range),
line 2 the column header, then one booking per line: unsigned amount with decimal comma, S/H
flag, SKR03 expense account and creditor, Belegdatum as DDMM without a year. Semicolons,
Windows-1252, CRLF.
"""
from __future__ import annotations

import random
from decimal import Decimal

from .vendor_export import VendorFile

HEADER = ["Umsatz (ohne Soll/Haben-Kz)", "Soll/Haben-Kennzeichen", "WKZ Umsatz", "Kurs", "Basis-Umsatz", "WKZ Basis-Umsatz",
          "Konto", "Gegenkonto (ohne BU-Schlüssel)", "BU-Schlüssel", "Belegdatum", "Belegfeld 1", "Belegfeld 2", "Skonto",
          "Buchungstext", "KOST1 - Kostenstelle"]
# SKR03 expense account, booking text, typical amount, cost centre.
ACCOUNTS = [("4600", "Google Ads März", 1800, "MKT"), ("4600", "Messestand Druckerei Müller", 950, "MKT"),
            ("4210", "Miete Büro März", 4200, "VERW"), ("4900", "Sonstiger Aufwand Büroservice", 180, "VERW"),
            ("4806", "Wartung CRM-Software", 640, "IT"), ("4920", "Telefon und Mobilfunk", 210, "IT"),
            ("4670", "Reisekosten Vertrieb Köln", 420, "VERT"), ("4780", "Fremdarbeiten Kundendienst", 1250, "SERV"),
            ("4120", "Gehälter März", 18500, "PERS")]
FISCAL_YEAR_START = "20250101"


def preamble(fiscal_year_start: str = FISCAL_YEAR_START) -> str:
    """The EXTF line: format 700, category 21 (Buchungsstapel), adviser 29098, client 55003."""
    return (f'"EXTF";700;21;"Buchungsstapel";13;20250405093000000;;"RE";"";"";29098;55003;{fiscal_year_start};4;'
            f'20250301;20250331;"Buchungen März 2025";"";1;0;0;"EUR";;"";;;"03";;;"";""')


def _amount(value: Decimal) -> str:
    return format(value, "f").replace(".", ",")


def _rows(rng: random.Random) -> list[list[str]]:
    rows = []
    for i in range(24):
        account, text, typical, centre = ACCOUNTS[i % len(ACCOUNTS)]
        amount = (Decimal(typical) * Decimal(rng.uniform(0.8, 1.2))).quantize(Decimal("0.01"))
        credit_note = i % 11 == 10  # a supplier credit note credits the expense account
        day = 1 + (i * 7) % 28
        rows.append([_amount(amount), "H" if credit_note else "S", "EUR", "", "", "", account, str(70000 + i % 5), "",
                     f"{day:02d}03", f"RE2025-{300 + i:04d}", "", "", ("Gutschrift " if credit_note else "") + text, centre])
    return rows


def exports(rng: random.Random) -> list[VendorFile]:
    return [VendorFile(("datev_buchungsstapel",), "EXTF_Buchungsstapel_202503.csv", HEADER, _rows(rng),
                       encoding="cp1252", delimiter=";", preamble=[preamble()])]
