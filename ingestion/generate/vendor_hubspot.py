"""HubSpot CRM exports of companies, deals, tickets and contacts, each once with English and once with
German column headers (the export follows the portal language; rows differ between the two).

The English files carry HubSpot's internal values (`appointmentscheduled`, ticket status `4`,
`PRODUCT_ISSUE`), the German ones the translated labels, so both kinds of value maps run.
Times are local portal time without an offset, as HubSpot writes them.
"""
from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from . import names
from .clock import at, local
from .vendor_export import VendorFile

COMPANY = {
    "en": ["Record ID", "Company name", "Phone Number", "Industry", "State/Region", "Original Source", "Create Date",
           "Last Modified Date", "Number of Employees"],
    "de": ["Datensatz-ID", "Name des Unternehmens", "Telefonnummer", "Branche", "Bundesland/Region", "Originalquelle",
           "Erstellungsdatum", "Zuletzt geändert", "Anzahl der Mitarbeiter"],
}
DEAL = {
    "en": ["Record ID", "Deal Name", "Deal Stage", "Pipeline", "Amount", "Deal probability", "Close Date", "Associated Company ID",
           "Deal owner", "Create Date", "Last Modified Date"],
    "de": ["Datensatz-ID", "Deal-Name", "Deal-Phase", "Pipeline", "Betrag", "Deal-Wahrscheinlichkeit", "Abschlussdatum",
           "Zugeordnete Unternehmens-ID", "Deal-Inhaber", "Erstellungsdatum", "Zuletzt geändert", "Währung"],
}
TICKET = {
    "en": ["Record ID", "Ticket name", "Pipeline", "Ticket status", "Priority", "Category", "Ticket owner", "Associated Company ID",
           "Create date", "First agent reply date", "Close date", "Last modified date"],
    "de": ["Datensatz-ID", "Ticketname", "Pipeline", "Ticket-Status", "Priorität", "Kategorie", "Ticket-Inhaber",
           "Zugeordnete Unternehmens-ID", "Erstellungsdatum", "Datum der ersten Antwort des Mitarbeiters", "Datum geschlossen",
           "Zuletzt geändert"],
}
CONTACT = {
    "en": ["Record ID", "First Name", "Last Name", "Email", "Lifecycle Stage", "Original Source", "Associated Company ID",
           "Create Date", "Last Modified Date", "Phone Number"],
    "de": ["Datensatz-ID", "Vorname", "Nachname", "E-Mail", "Lebenszyklusphase", "Originalquelle", "Zugeordnete Unternehmens-ID",
           "Erstellungsdatum", "Zuletzt geändert", "Telefonnummer"],
}
LIFECYCLE = [("Subscriber", "Abonnent"), ("Lead", "Lead"), ("Marketing Qualified Lead", "Marketing-qualifizierter Lead"),
             ("Sales Qualified Lead", "Vertriebsqualifizierter Lead"), ("Opportunity", "Verkaufschance"), ("Customer", "Kunde")]
# (internal id, German label, probability) of the default sales pipeline.
STAGES = [("appointmentscheduled", "Termin vereinbart", "0.2"), ("qualifiedtobuy", "Kaufbereit", "0.4"),
          ("presentationscheduled", "Präsentation geplant", "0.6"), ("decisionmakerboughtin", "Entscheidungsträger überzeugt", "0.8"),
          ("contractsent", "Vertrag gesendet", "0.9"), ("closedwon", "Abgeschlossen und gewonnen", "1.0"),
          ("closedlost", "Abgeschlossen und verloren", "0.0")]
TICKET_STATUS = [("1", "Neu"), ("2", "Warten auf Kontakt"), ("3", "Warten auf uns"), ("4", "Geschlossen")]
PRIORITY = [("LOW", "Niedrig"), ("MEDIUM", "Mittel"), ("HIGH", "Hoch"), ("URGENT", "Dringend")]
CATEGORY = [("PRODUCT_ISSUE", "Produktproblem"), ("BILLING_ISSUE", "Abrechnungsproblem"), ("GENERAL_INQUIRY", "Allgemeine Anfrage")]
SOURCES = [("Organic search", "Organische Suche"), ("Direct traffic", "Direkter Traffic"),
           ("Paid social", "Bezahlte Social-Media-Anzeigen"), ("Offline sources", "Offline-Quellen")]
REGIONS = ["Berlin", "Bayern", "Hamburg", "Nordrhein-Westfalen", "Sachsen", "Hessen"]
OWNERS = ["Jonas Weber", "Sabine Krüger", "Özlem Yilmaz"]
START = date(2025, 3, 3)


def portal_time(moment: datetime | None) -> str:
    return "" if moment is None else f"{local(moment):%Y-%m-%d %H:%M}"


def _moment(rng: random.Random, day_offset: int) -> datetime:
    return at(START + timedelta(days=day_offset), rng.randint(8 * 3600, 18 * 3600))


def _companies(rng: random.Random) -> list[tuple]:
    rows = []
    for i in range(12):
        industry = rng.choice(names.INDUSTRIES)
        created = _moment(rng, i)
        rows.append((str(9_100_000 + i), names.company(rng, industry, rng.choice(REGIONS)), names.phone(rng, "30"), industry,
                     rng.choice(REGIONS), rng.randrange(len(SOURCES)), created,
                     created + timedelta(hours=rng.randint(1, 72)), str(rng.randint(3, 250))))
    return rows


def _deals(rng: random.Random, company_ids: list[str]) -> list[tuple]:
    rows = []
    for i in range(16):
        stage = i % len(STAGES)
        created = _moment(rng, i)
        close = (created + timedelta(days=rng.randint(10, 60))).date()
        rows.append((str(7_200_000 + i), f"Rahmenvertrag {i + 1}", stage, f"{rng.randint(20, 400) * 125}.00", close,
                     company_ids[i % len(company_ids)], OWNERS[i % len(OWNERS)], created,
                     created + timedelta(days=rng.randint(1, 9))))
    return rows


def _tickets(rng: random.Random, company_ids: list[str]) -> list[tuple]:
    rows = []
    for i in range(12):
        created = _moment(rng, i)
        status = i % len(TICKET_STATUS)
        replied = created + timedelta(minutes=rng.randint(10, 600))
        closed = replied + timedelta(hours=rng.randint(1, 48)) if TICKET_STATUS[status][0] == "4" else None
        rows.append((str(5_300_000 + i), f"Anfrage {i + 1}", status, i % len(PRIORITY), i % len(CATEGORY), OWNERS[i % len(OWNERS)],
                     company_ids[i % len(company_ids)], created, replied, closed, closed or replied))
    return rows


def _contacts(rng: random.Random, company_ids: list[str]) -> list[tuple]:
    rows = []
    for i in range(12):
        first, last = names.person(rng)
        created = _moment(rng, i)
        stage = i % len(LIFECYCLE)
        company = company_ids[i % len(company_ids)] if LIFECYCLE[stage][0] == "Customer" else ""
        rows.append((str(3_400_000 + i), first, last, names.private_email(rng, first, last, 300 + i), stage, rng.randrange(len(SOURCES)),
                     company, created, created + timedelta(hours=rng.randint(1, 48)), names.phone(rng, "30")))
    return rows


def _contact_row(row: tuple, lang: int) -> list[str]:
    rid, first, last, email, stage, source, company, created, updated, phone = row
    return [rid, first, last, email, LIFECYCLE[stage][lang], SOURCES[source][lang], company, portal_time(created),
            portal_time(updated), phone]


def _company_row(row: tuple, lang: int) -> list[str]:
    rid, name, phone, industry, region, source, created, updated, employees = row
    return [rid, name, phone, industry, region, SOURCES[source][lang], portal_time(created), portal_time(updated), employees]


def _deal_row(row: tuple, lang: int) -> list[str]:
    rid, name, stage, amount, close, company, owner, created, updated = row
    text = [rid, name, STAGES[stage][lang], "default", amount, STAGES[stage][2], close.isoformat(), company, owner,
            portal_time(created), portal_time(updated)]
    return text + (["EUR"] if lang else [])


def _ticket_row(row: tuple, lang: int) -> list[str]:
    rid, name, status, priority, category, owner, company, created, replied, closed, updated = row
    return [rid, name, "Support Pipeline", TICKET_STATUS[status][lang], PRIORITY[priority][lang], CATEGORY[category][lang], owner,
            company, portal_time(created), portal_time(replied), portal_time(closed), portal_time(updated)]


def exports(rng: random.Random) -> list[VendorFile]:
    """Companies, deals, tickets and contacts; the first half of each in English, the rest in German."""
    companies = _companies(rng)
    company_ids = [c[0] for c in companies]
    files = []
    for mapping, label, headers, rows, to_text in (
        ("hubspot_companies", "companies", COMPANY, companies, _company_row),
        ("hubspot_deals", "deals", DEAL, _deals(rng, company_ids), _deal_row),
        ("hubspot_tickets", "tickets", TICKET, _tickets(rng, company_ids), _ticket_row),
        ("hubspot_contacts", "contacts", CONTACT, _contacts(rng, company_ids), _contact_row),
    ):
        half = len(rows) // 2
        for lang, (code, part) in enumerate((("en", rows[:half]), ("de", rows[half:]))):
            files.append(VendorFile((mapping,), f"hubspot-crm-exports-{label}-{code}.csv", headers[code],
                                    [to_text(r, lang) for r in part]))
    return files
