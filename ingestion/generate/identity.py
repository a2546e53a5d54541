"""Who a customer is: id, name, e-mail, phone, and whether an attribute will change later.

Ids follow creation order (`C000001` is the oldest account). E-mail addresses are unique,
because survey answers that carry only an e-mail are matched to customers by it.
"""
from __future__ import annotations

import random
from datetime import date, timedelta

from . import names

CHANGE_SHARE = 0.06


def assign_identity(rng: random.Random, c, idx: int, start: date, end: date, emails: set[str]) -> None:
    """Fill in identity and contact data; the simulation state (campaign boost, contract, IBAN) starts empty."""
    c.idx = idx
    c.customer_id = f"C{idx + 1:06d}"
    c.first, c.last = names.person(rng)
    if c.segment == "B2B":
        c.industry = rng.choice(names.INDUSTRIES)
        c.name = names.company(rng, c.industry, c.city)
        c.email = f"{rng.choice(('info', 'einkauf', 'buchhaltung', 'office'))}@{names.company_domain(c.name, idx)}"
    else:
        c.industry = None
        c.name = f"{c.first} {c.last}"
        c.email = names.private_email(rng, c.first, c.last, idx + 1)
    if c.email in emails:
        box, domain = c.email.split("@")
        c.email = f"{box}{idx + 1}@{domain}"
    emails.add(c.email)
    c.phone = names.phone(rng, c.area)
    c.contact_id = c.contract = c.iban = c.boost_utm = None
    c.boost_from = c.boost_until = None
    c.boost = 1.0
    c.change_day = None
    first = max(c.created_day + timedelta(days=30), start)
    if rng.random() < CHANGE_SHARE and first < end:
        c.change_day = first + timedelta(days=rng.randint(0, (end - first).days))
