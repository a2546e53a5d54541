"""Vendor exports (HubSpot, Salesforce, DATEV, Sparkasse, Meta, LinkedIn) load through their mappings.

The generator writes one small file per layout (`write_vendor_samples`); each is loaded with the
normal loader and checked on typed values: ids, signed amounts, UTC timestamps, translated
stages and statuses, the mapping recorded with the load and vendor columns kept in `_extra`.
"""
from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from ingestion.contract import load_contracts
from ingestion.generate.vendor_datev import preamble
from ingestion.generate.vendor_files import write_vendor_samples
from ingestion.loader import load_entity

CONTRACTS = load_contracts()
ENTITIES = ("customers", "contacts", "deals", "tickets", "cost_bookings", "bank_transactions", "social_posts", "social_post_metrics")


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """Every vendor sample written once and loaded into one warehouse; results by file."""
    root = tmp_path_factory.mktemp("vendor")
    landing = root / "landing"
    written = write_vendor_samples(landing, seed=42)
    con = duckdb.connect(str(root / "warehouse.duckdb"))
    results = {r.file: r for entity in ENTITIES for r in load_entity(con, CONTRACTS[entity], landing)}
    yield con, written, results, landing
    con.close()


def check_loads(loaded, mapping: str) -> list:
    """Every file of the layout loaded whole with this mapping; returns their load results."""
    _, written, results, landing = loaded
    found = []
    for path in written[mapping]:
        result = results[path.relative_to(landing).as_posix()]
        data_lines = len(path.read_bytes().splitlines()) - 1 - (1 if mapping.startswith("datev") else 0)
        assert (result.status, result.parse_options["mapping"]) == ("loaded", mapping), result.message
        assert result.rows_read == result.rows_loaded + result.rows_quarantined == data_lines
        assert result.rows_quarantined == 0
        found.append(result)
    return found


def rows(loaded, sql: str, params: list | None = None) -> list[tuple]:
    return loaded[0].execute(sql, params or []).fetchall()


def extra(loaded, table: str, key_column: str, key: str) -> dict:
    return json.loads(rows(loaded, f"SELECT _extra FROM raw.{table} WHERE {key_column} = ?", [key])[0][0])


def test_hubspot_companies_in_english_and_german_become_b2b_customers(loaded):
    english, german = check_loads(loaded, "hubspot_companies")
    assert english.extra_columns == ["Number of Employees"] and german.extra_columns == ["Anzahl der Mitarbeiter"]
    got = rows(loaded, "SELECT customer_id, customer_name, segment, region, acquisition_channel, created_at FROM raw.customers "
                       "WHERE customer_id IN ('9100000', '9100006') ORDER BY 1")
    assert got == [  # portal time 12:07 / 10:34 CET -> UTC
        ("9100000", "Süßmann & Söhne GmbH", "B2B", "Hessen", "Organic search", datetime(2025, 3, 3, 11, 7)),
        ("9100006", "Winter & Straßburger Software AG", "B2B", "Nordrhein-Westfalen", "Direkter Traffic", datetime(2025, 3, 9, 9, 34)),
    ]


def test_hubspot_contacts_link_customers_to_their_company(loaded):
    english, german = check_loads(loaded, "hubspot_contacts")
    assert english.extra_columns == ["Phone Number"] and german.extra_columns == ["Telefonnummer"]
    got = rows(loaded, "SELECT contact_id, customer_id, first_name, lifecycle_stage, created_at FROM raw.contacts "
                       "WHERE contact_id IN ('3400000', '3400005', '3400011') ORDER BY 1")
    assert got == [("3400000", None, "Sabine", "lead", datetime(2025, 3, 3, 16, 29)),  # Subscriber
                   ("3400005", "9100005", "Frank", "customer", datetime(2025, 3, 8, 16, 25)),  # Customer
                   ("3400011", "9100011", "Paul", "customer", datetime(2025, 3, 14, 8, 37))]  # Kunde


def test_hubspot_deals_translate_stage_ids_and_german_labels(loaded):
    check_loads(loaded, "hubspot_deals")
    got = rows(loaded, "SELECT deal_id, customer_id, amount, currency, stage, probability, created_at, closed_at FROM raw.deals "
                       "WHERE deal_id IN ('7200000', '7200005', '7200013') ORDER BY 1")
    assert got == [  # Close Date (portal midnight) closes won and lost deals only
        ("7200000", "9100000", Decimal("31125"), "EUR", "qualification", Decimal("0.2"), datetime(2025, 3, 3, 8, 31), None),  # appointmentscheduled
        ("7200005", "9100005", Decimal("14625"), "EUR", "won", Decimal("1"), datetime(2025, 3, 8, 8, 33), datetime(2025, 4, 5, 22)),  # closedwon
        ("7200013", "9100001", Decimal("48125"), "EUR", "lost", Decimal("0"), datetime(2025, 3, 16, 9, 43), datetime(2025, 4, 18, 22)),  # Abgeschlossen und verloren
    ]
    assert extra(loaded, "deals", "deal_id", "7200013") == {"Pipeline": "default", "Abschlussdatum": "2025-04-19"}


def test_hubspot_tickets_translate_status_priority_and_category(loaded):
    check_loads(loaded, "hubspot_tickets")
    got = rows(loaded, "SELECT ticket_id, ticket_type, category, priority, status, first_response_at, resolved_at FROM raw.tickets "
                       "WHERE ticket_id IN ('5300000', '5300003', '5300007') ORDER BY 1")
    assert got == [
        ("5300000", "complaint", "PRODUCT_ISSUE", "low", "open", datetime(2025, 3, 3, 12, 52), None),
        ("5300003", "complaint", "PRODUCT_ISSUE", "urgent", "closed", datetime(2025, 3, 6, 10, 16), datetime(2025, 3, 7, 21, 16)),
        ("5300007", "complaint", "Abrechnungsproblem", "urgent", "closed", datetime(2025, 3, 10, 20, 55), datetime(2025, 3, 11, 6, 55)),
    ]


def test_salesforce_accounts_with_person_accounts_as_b2c(loaded):
    [result] = check_loads(loaded, "salesforce_account")
    assert result.extra_columns == ["IsDeleted", "Type", "BillingCity", "BillingCountry", "OwnerId"]
    got = rows(loaded, "SELECT customer_id, customer_name, email, segment, region, created_at, updated_at FROM raw.customers "
                       "WHERE customer_id IN ('0015g0000000000AAM', '0015g0000000004AAM') ORDER BY 1")
    assert got == [
        ("0015g0000000000AAM", "Bäckerei Hartmann GmbH", None, "B2B", "Berlin", datetime(2025, 3, 3, 8, 51, 54), datetime(2025, 3, 4, 23, 51, 54)),
        ("0015g0000000004AAM", "Jana Öztürk", "jana.oeztuerk4@freenet.de", "B2C", "Berlin", datetime(2025, 3, 7, 14, 26, 54),
         datetime(2025, 3, 7, 19, 26, 54)),
    ]


def test_salesforce_contacts_and_leads_share_the_contacts_entity(loaded):
    check_loads(loaded, "salesforce_contact")
    check_loads(loaded, "salesforce_lead")
    got = rows(loaded, "SELECT contact_id, customer_id, first_name, lifecycle_stage, created_at FROM raw.contacts "
                       "WHERE contact_id IN ('0035g0000000000AAM', '00Q5g0000000001AAM', '00Q5g0000000003AAM') ORDER BY 1")
    assert got == [
        ("0035g0000000000AAM", "0015g0000000000AAM", "Tim", None, datetime(2025, 3, 3, 15, 35, 14)),
        ("00Q5g0000000001AAM", None, "Michael", "mql", datetime(2025, 3, 4, 7, 15, 56)),  # Working - Contacted
        ("00Q5g0000000003AAM", "0015g0000000003AAM", "Birgit", "opportunity", datetime(2025, 3, 6, 9, 59, 15)),  # Closed - Converted
    ]
    assert extra(loaded, "contacts", "contact_id", "00Q5g0000000003AAM")["IsConverted"] == "true"


def test_salesforce_opportunities_translate_stage_names(loaded):
    [result] = check_loads(loaded, "salesforce_opportunity")
    assert {"Probability", "CloseDate"} <= set(result.extra_columns)
    got = rows(loaded, "SELECT deal_id, customer_id, contact_id, amount, currency, stage, probability, closed_at, created_at FROM raw.deals "
                       "WHERE deal_id IN ('0065g0000000002AAM', '0065g0000000004AAM', '0065g0000000005AAM') ORDER BY 1")
    assert [r[0] for r in got] == ["0065g0000000002AAM", "0065g0000000004AAM", "0065g0000000005AAM"]
    assert [r[5] for r in got] == ["proposal", "won", "lost"]  # Proposal/Price Quote, Closed Won, Closed Lost
    assert [r[7] is not None for r in got] == [False, True, True]  # CloseDate closes won and lost opportunities only
    assert got[1] == ("0065g0000000004AAM", "0015g0000000004AAM", "0035g0000000004AAM", Decimal("38500"), "EUR", "won", None,
                      datetime(2025, 4, 6), datetime(2025, 3, 7, 14, 30, 5))


def test_salesforce_cases_become_tickets(loaded):
    check_loads(loaded, "salesforce_case")
    got = rows(loaded, "SELECT ticket_id, customer_id, email, ticket_type, category, priority, status, created_at, resolved_at "
                       "FROM raw.tickets WHERE ticket_id IN ('5005g0000000000AAM', '5005g0000000003AAM') ORDER BY 1")
    assert got == [
        ("5005g0000000000AAM", "0015g0000000000AAM", "tberger100@gmx.de", "complaint", "Installation", "low", "open",
         datetime(2025, 3, 3, 13, 30, 39), None),
        ("5005g0000000003AAM", "0015g0000000003AAM", "jwagner103@outlook.de", "question", "Installation", "low", "closed",
         datetime(2025, 3, 6, 11, 47, 15), datetime(2025, 3, 9, 0, 47, 15)),
    ]
    assert extra(loaded, "tickets", "ticket_id", "5005g0000000000AAM")["Subject"] == "Störung 1"


def test_datev_booking_batch_signs_amounts_and_dates_ddmm_with_the_preamble_year(loaded):
    [result] = check_loads(loaded, "datev_buchungsstapel")
    assert result.parse_options["encoding"] == "cp1252" and result.parse_options["delimiter"] == ";"
    got = rows(loaded, "SELECT booking_date, amount, currency, cost_category, description, length(booking_id) FROM raw.cost_bookings "
                       "WHERE _line IN (3, 13) ORDER BY _line")
    assert got == [
        (date(2025, 3, 1), Decimal("1735.57"), "EUR", "marketing", "Google Ads März", 32),  # 0103, S on 4600
        (date(2025, 3, 15), Decimal("-797.41"), "EUR", "marketing", "Gutschrift Messestand Druckerei Müller", 32),  # 1503, H
    ]
    assert extra(loaded, "cost_bookings", "_line", 3)["KOST1 - Kostenstelle"] == "MKT"
    assert rows(loaded, "SELECT count(DISTINCT booking_id), count(*) FROM raw.cost_bookings")[0] == (24, 24)


def datev_delivery(loaded, tmp_path: Path, fiscal_year_start: str, extra_lines: list[str]) -> Path:
    """The generated DATEV file with another fiscal year start and some bookings appended."""
    [source] = loaded[1]["datev_buchungsstapel"]
    landing = tmp_path / "landing"
    target = landing / "finance" / "cost_bookings" / source.name
    target.parent.mkdir(parents=True)
    lines = source.read_bytes().decode("cp1252").splitlines()
    lines[0] = preamble(fiscal_year_start)
    target.write_bytes(("\r\n".join(lines + extra_lines) + "\r\n").encode("cp1252"))
    return landing


def test_datev_fiscal_year_from_july_puts_january_to_june_into_the_next_year(loaded, tmp_path):
    landing = datev_delivery(loaded, tmp_path, "20240701", [
        "100,00;S;EUR;;;;4600;70001;;1508;RE2024-0815;;;Plakate August;MKT",
        "50,00;S;EUR;;;;4920;70002;;503;RE2025-0503;;;Telefon März;IT",  # DATEV may drop the leading zero
        "75,00;S;EUR;;;;9999;70003;;2003;RE2025-0999;;;Unbekanntes Konto;VERW",
        "12,00;S;EUR;;;;4600;70004;;3102;RE2025-1000;;;Kein Datum;MKT",
    ])
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    [result] = load_entity(con, CONTRACTS["cost_bookings"], landing)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined, result.rows_skipped) == (28, 26, 1, 1)
    assert result.skip_reasons == {"carry-forward or statistical account": 1}  # account 9999 in SKR03
    got = con.execute("SELECT _line, booking_date, amount, cost_category FROM raw.cost_bookings WHERE _line IN (3, 27, 28, 29) ORDER BY 1").fetchall()
    assert got == [(3, date(2025, 3, 1), Decimal("1735.57"), "marketing"), (27, date(2024, 8, 15), Decimal("100"), "marketing"),
                   (28, date(2025, 3, 5), Decimal("50"), "it")]
    assert con.execute("SELECT line, column_name, reason FROM raw._quarantine").fetchall() == [
        (30, "Belegdatum", "'31022025' is not a date in format %d%m%Y")]  # 31 February
    con.close()


def test_datev_without_a_fiscal_year_start_fails_the_file(loaded, tmp_path):
    landing = datev_delivery(loaded, tmp_path, "", [])
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    [result] = load_entity(con, CONTRACTS["cost_bookings"], landing)
    assert result.status == "held"
    assert "line 1: field 13 should be the fiscal year start as yyyymmdd" in result.message
    con.close()


def test_savings_bank_statement_signs_amounts_and_hashes_a_transaction_id(loaded):
    [result] = check_loads(loaded, "sparkasse_camt_csv")
    assert "BIC (SWIFT-Code)" in result.extra_columns
    got = rows(loaded, "SELECT booking_date, value_date, amount, counterparty, purpose, length(transaction_id) FROM raw.bank_transactions "
                       "WHERE _line IN (2, 4) ORDER BY _line")
    assert got == [(date(2025, 3, 3), date(2025, 3, 3), Decimal("716.46"), "Doris Schmitz", "RE-2025-000100 Schmitz", 32),
                   (date(2025, 3, 5), date(2025, 3, 5), Decimal("-1807.82"), "Vermieter AG", "Rechnung März 3 €", 32)]
    assert extra(loaded, "bank_transactions", "_line", 4)["Buchungstext"] == "LASTSCHRIFT"


def test_meta_post_export_feeds_posts_and_metrics(loaded):
    for mapping in ("meta_posts", "meta_post_metrics"):
        assert len(check_loads(loaded, mapping)) == 2  # Facebook and Instagram
    posts = rows(loaded, "SELECT post_id, channel, post_type, published_at FROM raw.social_posts "
                         "WHERE post_id IN ('104958372611234_122000000000004', '17900000000000004') ORDER BY 1")
    assert posts == [("104958372611234_122000000000004", "facebook", "image", datetime(2025, 3, 11, 13, 30)),  # Photos, 14:30 CET
                     ("17900000000000004", "instagram", "carousel", datetime(2025, 3, 11, 15, 0))]  # IG carousel
    metrics = rows(loaded, "SELECT post_id, metric_date, impressions, reach, likes, comments, shares, clicks FROM raw.social_post_metrics "
                           "WHERE post_id IN ('104958372611234_122000000000004', '17900000000000004') ORDER BY 1")
    assert metrics == [("104958372611234_122000000000004", date(2025, 3, 11), 4959, 3967, 123, 16, 9, 82),
                       ("17900000000000004", date(2025, 3, 11), 5993, 4794, 149, 19, 11, None)]
    assert extra(loaded, "social_post_metrics", "post_id", "17900000000000004")["Saves"] == "29"


def test_linkedin_content_export_feeds_posts_and_metrics(loaded):
    check_loads(loaded, "linkedin_posts")
    check_loads(loaded, "linkedin_post_metrics")
    link = "https://www.linkedin.com/feed/update/urn:li:activity:7301234567800000004"
    assert rows(loaded, "SELECT channel, post_type, published_at FROM raw.social_posts WHERE post_id = ?", [link]) == [
        ("linkedin", "carousel", datetime(2025, 3, 15))]  # a Document post
    assert rows(loaded, "SELECT metric_date, impressions, reach, likes, comments, shares, clicks FROM raw.social_post_metrics "
                        "WHERE post_id = ?", [link]) == [(date(2025, 3, 15), 3052, None, 38, 7, 4, 61)]
    assert extra(loaded, "social_post_metrics", "post_id", link)["Content Type"] == "Document"


def test_vendor_samples_are_deterministic(loaded, tmp_path):
    _, written, _, landing = loaded
    again = write_vendor_samples(tmp_path, seed=42)
    assert sorted(again) == sorted(written)
    for mapping, paths in written.items():
        assert [p.read_bytes() for p in paths] == [p.read_bytes() for p in again[mapping]]
        assert [p.relative_to(landing) for p in paths] == [p.relative_to(tmp_path) for p in again[mapping]]


def test_files_for_two_entities_are_copies_in_both_folders(loaded):
    written = loaded[1]
    for posts, metrics in (("meta_posts", "meta_post_metrics"), ("linkedin_posts", "linkedin_post_metrics")):
        assert [p.name for p in written[posts]] == [p.name for p in written[metrics]]
        assert {p.parent.name for p in written[posts]} == {"social_posts"}
        assert {p.parent.name for p in written[metrics]} == {"social_post_metrics"}
        assert [p.read_bytes() for p in written[posts]] == [p.read_bytes() for p in written[metrics]]


def test_the_command_line_writes_vendor_layouts_only_when_asked():
    from ingestion.generate.__main__ import parse_args

    assert parse_args(["--out", "x", "--vendor-layouts"]).vendor_layouts is True
    assert parse_args(["--out", "x"]).vendor_layouts is False
