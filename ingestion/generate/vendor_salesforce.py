"""Salesforce Data Export files (Account, Contact, Lead, Opportunity, Case .csv).

Data Export writes every field by API name, quotes every value, marks booleans `true`/`false`
and timestamps in UTC with milliseconds (`2025-03-01T09:15:00.000Z`). Record ids are 18
characters with the object's key prefix; contacts, opportunities and cases point at the
accounts written here.
"""
from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from . import names
from .clock import at
from .vendor_export import VendorFile

ACCOUNT = ["Id", "IsDeleted", "Name", "Type", "BillingCity", "BillingState", "BillingCountry", "Phone", "Industry", "AccountSource",
           "OwnerId", "CreatedDate", "LastModifiedDate", "IsPersonAccount", "PersonEmail"]
CONTACT = ["Id", "IsDeleted", "AccountId", "LastName", "FirstName", "Salutation", "Email", "Phone", "LeadSource", "OwnerId",
           "CreatedDate", "LastModifiedDate"]
LEAD = ["Id", "IsDeleted", "LastName", "FirstName", "Company", "Email", "LeadSource", "Status", "IsConverted", "ConvertedAccountId",
        "ConvertedContactId", "OwnerId", "CreatedDate", "LastModifiedDate"]
OPPORTUNITY = ["Id", "IsDeleted", "AccountId", "ContactId", "Name", "StageName", "Amount", "Probability", "CloseDate", "IsClosed",
               "IsWon", "CurrencyIsoCode", "OwnerId", "CreatedDate", "LastModifiedDate"]
CASE = ["Id", "IsDeleted", "CaseNumber", "AccountId", "ContactId", "ContactEmail", "SuppliedEmail", "Type", "Reason", "Status",
        "Priority", "Origin", "Subject", "IsClosed", "ClosedDate", "OwnerId", "CreatedDate", "LastModifiedDate"]
STAGES = [("Prospecting", 10), ("Needs Analysis", 20), ("Proposal/Price Quote", 75), ("Negotiation/Review", 90),
          ("Closed Won", 100), ("Closed Lost", 0)]
LEAD_STATUS = ["Open - Not Contacted", "Working - Contacted", "Qualified", "Closed - Converted", "Closed - Not Converted"]
CASE_TYPES = ["Problem", "Question", "Mechanical", "Feature Request"]
CASE_STATUS = ["New", "Working", "Escalated", "Closed"]
PRIORITIES = ["Low", "Medium", "High"]
SOURCES = ["Web", "Phone Inquiry", "Partner Referral", "Trade Show"]
CITIES = [("Berlin", "Berlin"), ("München", "Bayern"), ("Köln", "Nordrhein-Westfalen"), ("Leipzig", "Sachsen")]
OWNER = "0055g00000AbCdEAAV"
START = date(2025, 3, 3)


def sf_id(prefix: str, number: int) -> str:
    return f"{prefix}5g000000{number:04d}AAM"


def sf_time(moment: datetime | None) -> str:
    return "" if moment is None else f"{moment:%Y-%m-%dT%H:%M:%S}.000Z"


def _moment(rng: random.Random, day_offset: int) -> datetime:
    return at(START + timedelta(days=day_offset), rng.randint(8 * 3600, 18 * 3600))


def _accounts(rng: random.Random) -> list[list[str]]:
    rows = []
    for i in range(10):
        city, state = CITIES[i % len(CITIES)]
        created = _moment(rng, i)
        person = i % 5 == 4  # a person account: a consumer, not a company
        first, last = names.person(rng)
        industry = "" if person else rng.choice(names.INDUSTRIES)
        name = f"{first} {last}" if person else names.company(rng, industry, city)
        email = names.private_email(rng, first, last, i) if person else ""
        rows.append([sf_id("001", i), "false", name, "Customer", city, state, "Germany", names.phone(rng, "89"), industry,
                     rng.choice(SOURCES), OWNER, sf_time(created), sf_time(created + timedelta(hours=rng.randint(1, 96))),
                     str(person).lower(), email])
    return rows


def _people(rng: random.Random, accounts: list[list[str]]) -> tuple[list[list[str]], list[list[str]]]:
    contacts, leads = [], []
    for i in range(12):
        first, last = names.person(rng)
        created = _moment(rng, i)
        email = names.private_email(rng, first, last, 100 + i)
        contacts.append([sf_id("003", i), "false", accounts[i % len(accounts)][0], last, first, rng.choice(["Herr", "Frau"]), email,
                         names.phone(rng, "40"), rng.choice(SOURCES), OWNER, sf_time(created), sf_time(created + timedelta(days=2))])
        first, last = names.person(rng)
        status = LEAD_STATUS[i % len(LEAD_STATUS)]
        converted = status == "Closed - Converted"
        leads.append([sf_id("00Q", i), "false", last, first, f"{last} Consulting", names.private_email(rng, first, last, 200 + i),
                      rng.choice(SOURCES), status, str(converted).lower(), accounts[i % len(accounts)][0] if converted else "",
                      sf_id("003", i) if converted else "", OWNER, sf_time(created), sf_time(created + timedelta(hours=5))])
    return contacts, leads


def _opportunities(rng: random.Random, accounts: list[list[str]], contacts: list[list[str]]) -> list[list[str]]:
    rows = []
    for i in range(12):
        stage, probability = STAGES[i % len(STAGES)]
        created = _moment(rng, i)
        closed = stage.startswith("Closed")
        rows.append([sf_id("006", i), "false", accounts[i % len(accounts)][0], contacts[i][0], f"Wartungsvertrag {i + 1}", stage,
                     f"{rng.randint(8, 160) * 250}", str(probability), (created + timedelta(days=30)).date().isoformat(),
                     str(closed).lower(), str(stage == "Closed Won").lower(), "EUR", OWNER, sf_time(created),
                     sf_time(created + timedelta(days=rng.randint(1, 20)))])
    return rows


def _cases(rng: random.Random, accounts: list[list[str]], contacts: list[list[str]]) -> list[list[str]]:
    rows = []
    for i in range(12):
        created = _moment(rng, i)
        status = CASE_STATUS[i % len(CASE_STATUS)]
        closed = created + timedelta(hours=rng.randint(2, 72)) if status == "Closed" else None
        contact = contacts[i]
        rows.append([sf_id("500", i), "false", f"{1000 + i:08d}", contact[2], contact[0], contact[6], "", CASE_TYPES[i % len(CASE_TYPES)],
                     "Installation", status, PRIORITIES[i % len(PRIORITIES)], rng.choice(["Email", "Phone", "Web"]), f"Störung {i + 1}",
                     str(closed is not None).lower(), sf_time(closed), OWNER, sf_time(created),
                     sf_time(closed or created + timedelta(hours=1))])
    return rows


def exports(rng: random.Random) -> list[VendorFile]:
    accounts = _accounts(rng)
    contacts, leads = _people(rng, accounts)
    return [
        VendorFile(("salesforce_account",), "Account.csv", ACCOUNT, accounts, quote_all=True),
        VendorFile(("salesforce_contact",), "Contact.csv", CONTACT, contacts, quote_all=True),
        VendorFile(("salesforce_lead",), "Lead.csv", LEAD, leads, quote_all=True),
        VendorFile(("salesforce_opportunity",), "Opportunity.csv", OPPORTUNITY, _opportunities(rng, accounts, contacts), quote_all=True),
        VendorFile(("salesforce_case",), "Case.csv", CASE, _cases(rng, accounts, contacts), quote_all=True),
    ]
