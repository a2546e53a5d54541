"""What the vendor mappings decide, each rule on a small file written inline in the vendor's
documented layout (not by the generator):

- HubSpot deals: any subset of the default properties loads (fallbacks), a missing property is
  named as HubSpot calls it, Close Date closes won and lost deals only, the company-currency
  amount wins over the deal's own, custom pipeline stages map by their label.
- DATEV EXTF: bookings are classified by the SKR03/SKR04 account ranges of the chart the header
  names (or the accounts reveal); the expense account may be Konto or Gegenkonto; revenue, bank
  and other non-cost bookings are skipped and counted, never loaded, quarantined or negative.
"""
from __future__ import annotations

import csv
import io
import json
import os
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from ingestion.contract import create_raw_schema, load_contracts
from ingestion.ledger import ensure_ledger
from ingestion.loader import load_entity
from ingestion.quality import delivery_health

CONTRACTS = load_contracts()
DEALS, COSTS = CONTRACTS["deals"], CONTRACTS["cost_bookings"]


def load(tmp_path: Path, contract, name: str, data: bytes, mtime: datetime | None = None):
    """One delivery in its entity folder, loaded into a fresh warehouse: (result, connection)."""
    target = tmp_path / "landing" / contract.source / contract.entity / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    if mtime is not None:
        os.utime(target, (mtime.timestamp(), mtime.timestamp()))
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    [result] = load_entity(con, contract, tmp_path / "landing")
    return result, con


# --- HubSpot deals ------------------------------------------------------------------------------

# Deals > Export: every value quoted, portal time `yyyy-mm-dd hh:mm`, Close Date a date.
DEFAULT_PROPERTIES = ["Record ID", "Deal Name", "Deal Stage", "Pipeline", "Amount", "Close Date", "Deal owner",
                      "Create Date", "Last Modified Date", "Associated Company ID"]
DEALS_ROWS = [
    {"Record ID": "8800001", "Deal Name": "Wartungsvertrag Nord", "Deal Stage": "Closed won", "Pipeline": "Sales Pipeline",
     "Amount": "12000", "Close Date": "2025-04-10", "Deal owner": "Jana Vogt", "Create Date": "2025-02-03 09:15",
     "Last Modified Date": "2025-04-10 16:02", "Associated Company ID": "9200001"},
    {"Record ID": "8800002", "Deal Name": "Lizenzpaket Süd", "Deal Stage": "Closed lost", "Pipeline": "Sales Pipeline",
     "Amount": "8000", "Close Date": "2025-04-22", "Deal owner": "Jana Vogt", "Create Date": "2025-02-11 11:40",
     "Last Modified Date": "2025-04-22 10:00", "Associated Company ID": "9200002"},
    {"Record ID": "8800003", "Deal Name": "Rollout West", "Deal Stage": "Contract sent", "Pipeline": "Sales Pipeline",
     "Amount": "30000", "Close Date": "2025-06-30", "Deal owner": "Tim Brand", "Create Date": "2025-03-01 08:00",
     "Last Modified Date": "2025-04-01 12:30", "Associated Company ID": "9200003"},
]
EXPORTED = datetime(2025, 5, 2, 7, 30)  # the export's file time, UTC


def hubspot_csv(columns: list[str], rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([row.get(c, "") for c in columns] for row in rows)
    return out.getvalue().encode("utf-8")


def file_time(moment: datetime) -> datetime:
    return moment.replace(tzinfo=timezone.utc)


@pytest.mark.parametrize("left_out", [
    ["Deal Name"], ["Pipeline"], ["Amount"], ["Close Date"], ["Deal owner"], ["Create Date"], ["Last Modified Date"],
    ["Associated Company ID"],
    ["Deal Name", "Pipeline", "Amount", "Close Date", "Deal owner", "Create Date", "Last Modified Date", "Associated Company ID"],
])
def test_hubspot_deals_with_any_subset_of_the_default_properties_load(tmp_path, left_out):
    columns = [c for c in DEFAULT_PROPERTIES if c not in left_out]
    result, con = load(tmp_path, DEALS, "deals.csv", hubspot_csv(columns, DEALS_ROWS), file_time(EXPORTED))
    assert (result.status, result.rows_loaded) == ("loaded", 3), result.message
    got = dict(con.execute("SELECT deal_id, updated_at FROM raw.deals").fetchall())
    if "Last Modified Date" in left_out:  # the export's file time, recorded with the load
        assert set(got.values()) == {EXPORTED}
        assert result.parse_options["fallbacks"]["updated_at"] == "file_modified"
    else:
        assert got["8800001"] == datetime(2025, 4, 10, 14, 2)  # 16:02 CEST


def test_hubspot_deals_without_a_required_property_name_the_hubspot_columns(tmp_path):
    columns = [c for c in DEFAULT_PROPERTIES if c != "Deal Stage"]
    result, _ = load(tmp_path, DEALS, "deals_export.csv", hubspot_csv(columns, DEALS_ROWS))
    assert result.status == "held"
    assert result.message == ('crm/deals/deals_export.csv: line 1: required column "stage" missing: add one of the columns '
                              '"Deal Stage" / "Deal-Phase" to the HubSpot export (mapping ingestion/mappings/hubspot_deals.yaml)')


def test_a_deals_file_without_a_mapping_names_the_contract_columns_and_the_layouts_it_nearly_matches(tmp_path):
    result, _ = load(tmp_path, DEALS, "opps.csv", b"Id,StageName,Amount\n0061,Closed Won,100\n")
    assert result.status == "held"
    assert result.message.startswith('crm/deals/opps.csv: line 1: required column(s) "deal_id", "currency", "stage", "created_at", '
                                     '"updated_at" missing: the header needs the columns "deal_id", ')
    assert result.message.endswith('or, for a vendor export: Salesforce (salesforce_opportunity) also needs "IsWon"')


def test_hubspot_close_date_closes_won_and_lost_deals_only(tmp_path):
    result, con = load(tmp_path, DEALS, "deals.csv", hubspot_csv(DEFAULT_PROPERTIES, DEALS_ROWS))
    got = con.execute("SELECT deal_id, stage, closed_at, json_extract_string(_extra, '$.\"Close Date\"') FROM raw.deals ORDER BY 1").fetchall()
    assert got == [  # portal midnight (CEST) in UTC; the open deal's expected date stays in _extra only
        ("8800001", "won", datetime(2025, 4, 9, 22), "2025-04-10"),
        ("8800002", "lost", datetime(2025, 4, 21, 22), "2025-04-22"),
        ("8800003", "negotiation", None, "2025-06-30"),
    ]


def test_hubspot_amount_in_company_currency_wins_over_the_deal_currency(tmp_path):
    rows = [{"Record ID": "8800010", "Deal Stage": "closedwon", "Amount": "1000", "Currency": "USD", "Amount in company currency": "921.50",
             "Create Date": "2025-03-03 10:00", "Last Modified Date": "2025-03-04 10:00"},
            {"Record ID": "8800011", "Deal Stage": "closedwon", "Amount": "500", "Currency": "EUR", "Amount in company currency": "500",
             "Create Date": "2025-03-03 10:00", "Last Modified Date": "2025-03-04 10:00"}]
    columns = ["Record ID", "Deal Stage", "Amount", "Currency", "Amount in company currency", "Create Date", "Last Modified Date"]
    result, con = load(tmp_path, DEALS, "deals.csv", hubspot_csv(columns, rows))
    assert con.execute("SELECT deal_id, amount, currency FROM raw.deals ORDER BY 1").fetchall() == [
        ("8800010", Decimal("921.5"), "EUR"), ("8800011", Decimal("500"), "EUR")]
    assert result.extra_columns == ["Amount", "Currency"]


def test_hubspot_german_portal_company_currency_amount(tmp_path):
    rows = [{"Datensatz-ID": "8800020", "Deal-Phase": "Abgeschlossen und gewonnen", "Betrag": "1000", "Währung": "CHF",
             "Betrag in Unternehmenswährung": "1043,10", "Erstellungsdatum": "2025-03-03 10:00", "Zuletzt geändert": "2025-03-04 10:00"}]
    columns = list(rows[0])
    result, con = load(tmp_path, DEALS, "deals.csv", hubspot_csv(columns, rows).replace(b'"1043,10"', b'"1043.10"'))
    assert con.execute("SELECT amount, currency, stage FROM raw.deals").fetchall() == [(Decimal("1043.1"), "EUR", "won")]


def test_hubspot_custom_pipeline_stages_map_by_label(tmp_path):
    labels = {"8800031": ("Won - Renewal", "won"), "8800032": ("Verloren an Wettbewerb", "lost"),
              "8800033": ("Erstgespräch", "qualification"), "8800034": ("Angebot verschickt", "qualification"),
              "8800035": ("Abgeschlossen und gewonnen", "won"), "8800036": ("LOST (no budget)", "lost"),
              "8800037": ("Presentation scheduled", "proposal")}
    rows = [{"Record ID": k, "Deal Stage": label, "Pipeline": "Partner", "Close Date": "2025-05-05",
             "Create Date": "2025-03-03 10:00", "Last Modified Date": "2025-05-05 10:00"} for k, (label, _) in labels.items()]
    columns = ["Record ID", "Deal Stage", "Pipeline", "Close Date", "Create Date", "Last Modified Date"]
    result, con = load(tmp_path, DEALS, "deals.csv", hubspot_csv(columns, rows))
    assert (result.rows_loaded, result.rows_quarantined) == (7, 0)
    got = {d: (s, c is not None) for d, s, c in con.execute("SELECT deal_id, stage, closed_at FROM raw.deals").fetchall()}
    assert got == {k: (stage, stage in ("won", "lost")) for k, (_, stage) in labels.items()}


# --- DATEV EXTF ------------------------------------------------------------------------------

# Buchungsstapel columns 1-14 of the 125 (DATEV-Format, Formatversion 13) and the cost centre.
DATEV_HEADER = ["Umsatz (ohne Soll/Haben-Kz)", "Soll/Haben-Kennzeichen", "WKZ Umsatz", "Kurs", "Basis-Umsatz", "WKZ Basis-Umsatz",
                "Konto", "Gegenkonto (ohne BU-Schlüssel)", "BU-Schlüssel", "Belegdatum", "Belegfeld 1", "Belegfeld 2", "Skonto",
                "Buchungstext", "KOST1 - Kostenstelle"]


def extf(chart: str, bookings: list[tuple[str, str, str, str, str, str]], account_length: int = 4) -> bytes:
    """An EXTF file: the 31-field header (13 fiscal year start, 14 G/L account length,
    27 Sachkontenrahmen), the column line, one line per (amount, S/H, Konto, Gegenkonto, DDMM, text)."""
    fields = ['"EXTF"', "700", "21", '"Buchungsstapel"', "13", "20250405093000000", "", '"RE"', '""', '""', "29098", "55003",
              "20250101", str(account_length), "20250301", "20250331", '"Buchungen März"', '""', "1", "0", "0", '"EUR"', "",
              '""', "", "", f'"{chart}"', "", "", '""', '""']
    lines = [";".join(fields), ";".join(DATEV_HEADER)]
    for i, (amount, flag, konto, gegenkonto, ddmm, text) in enumerate(bookings):
        lines.append(f'{amount};"{flag}";"EUR";;;;{konto};{gegenkonto};;{ddmm};"RE-{i:04d}";;;"{text}";')
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


SKR03_BOOKINGS = [
    ("1735,57", "S", "4600", "70001", "0103", "Google Ads März"),          # expense on Konto, debited: cost
    ("119,00", "H", "70002", "4920", "0303", "Telefon März"),             # creditor credited, expense Gegenkonto debited: cost
    ("500,00", "H", "1200", "4210", "0503", "Miete März"),                # paid from the bank straight to rent: cost
    ("80,00", "S", "1200", "4650", "0703", "Erstattung Bewirtung"),       # bank debited, expense credited: a refund
    ("1190,00", "S", "1200", "8400", "0903", "Zahlung Kunde"),            # revenue received: no cost
    ("238,00", "H", "8400", "10001", "1003", "Ausgangsrechnung"),         # revenue invoiced: no cost
    ("400,00", "S", "70001", "1200", "1103", "Zahlung Lieferant"),        # creditor paid from the bank: no cost (Konto's reason)
    ("50,00", "S", "4900", "4600", "1203", "Umbuchung"),                  # between two expense accounts: skipped
    ("12,34", "S", "2100", "1200", "1303", "Zinsen"),                     # interest: non-operating
]


def test_datev_skr03_costs_from_either_side_and_other_bookings_skipped_with_a_reason(tmp_path):
    result, con = load(tmp_path, COSTS, "EXTF_Buchungsstapel.csv", extf("03", SKR03_BOOKINGS))
    assert (result.status, result.rows_read, result.rows_loaded, result.rows_quarantined, result.rows_skipped) == ("loaded", 9, 4, 0, 5)
    assert result.skip_reasons == {
        "revenue booking": 2, "debtor or creditor account": 1,
        "both accounts are expense accounts": 1, "non-operating account (interest, extraordinary, taxes on income)": 1,
    }
    got = con.execute("SELECT _line, amount, cost_category FROM raw.cost_bookings ORDER BY _line").fetchall()
    assert got == [(3, Decimal("1735.57"), "marketing"), (4, Decimal("119"), "it"), (5, Decimal("500"), "operations"),
                   (6, Decimal("-80"), "sales")]
    assert con.execute("SELECT count(*) FROM raw._quarantine").fetchall()[0][0] == 0
    ledger = con.execute("SELECT rows_read, rows_loaded, rows_quarantined, rows_skipped, skip_reasons FROM raw._loads").fetchall()[0]
    assert ledger[:4] == (9, 4, 0, 5) and json.loads(ledger[4]) == result.skip_reasons
    health = delivery_health(con, "cost_bookings", threshold=0.01)
    assert health.passed and (health.rows_read, health.rows_loaded, health.rows_quarantined, health.rows_skipped) == (9, 4, 0, 5)


SKR04_BOOKINGS = [
    ("2000,00", "S", "6600", "70001", "0103", "Messe"),                   # Werbekosten
    ("59,90", "H", "1800", "6805", "0203", "Telefon"),                    # bank credited, expense debited
    ("3000,00", "S", "6020", "1800", "0303", "Gehälter"),                 # Gehälter
    ("4400,00", "S", "1800", "4400", "0403", "Erlös"),                    # revenue in SKR04 (an expense range in SKR03)
    ("900,00", "S", "1200", "4400", "0503", "Forderung"),                 # receivable against revenue
]


def test_datev_skr04_uses_its_own_ranges(tmp_path):
    result, con = load(tmp_path, COSTS, "EXTF_Buchungsstapel.csv", extf("04", SKR04_BOOKINGS))
    assert (result.rows_loaded, result.rows_skipped, result.skip_reasons) == (3, 2, {"revenue booking": 2})
    got = con.execute("SELECT amount, cost_category FROM raw.cost_bookings ORDER BY _line").fetchall()
    assert got == [(Decimal("2000"), "marketing"), (Decimal("59.9"), "it"), (Decimal("3000"), "personnel")]


@pytest.mark.parametrize("bookings, categories", [
    (SKR03_BOOKINGS, ["marketing", "it", "operations", "sales"]),  # 8400: only SKR03 has revenue in class 8
    (SKR04_BOOKINGS, ["marketing", "it", "personnel"]),             # 6600: only SKR04 has expenses in classes 5 and 6
])
def test_datev_chart_detected_from_the_accounts_when_the_header_leaves_it_empty(tmp_path, bookings, categories):
    typo = ("1,00", "S", "46X0", "70001", "0103", "Tippfehler")  # no account number: does not disturb the detection
    result, con = load(tmp_path, COSTS, "EXTF_Buchungsstapel.csv", extf("", [*bookings, typo]))
    assert (result.status, result.rows_quarantined) == ("loaded", 1), result.message
    assert [c for (c,) in con.execute("SELECT cost_category FROM raw.cost_bookings ORDER BY _line").fetchall()] == categories


def test_datev_chart_that_neither_header_nor_accounts_tell_fails_the_file(tmp_path):
    result, _ = load(tmp_path, COSTS, "EXTF_Buchungsstapel.csv", extf("", [("10,00", "S", "4600", "1200", "0103", "Werbung")]))
    assert result.status == "held"
    assert result.message == ("finance/cost_bookings/EXTF_Buchungsstapel.csv: line 1: field 27 (Sachkontenrahmen) is '' and the "
                              "bookings use no account that only one chart has: set field 27 of the EXTF header line to "
                              "03 (SKR03) or 04 (SKR04)")


def test_datev_longer_account_length_reads_accounts_by_their_leading_digits(tmp_path):
    bookings = [("100,00", "S", "46000", "700010", "0103", "Werbung"), ("20,00", "S", "12000", "84000", "0203", "Erlös")]
    result, con = load(tmp_path, COSTS, "EXTF_Buchungsstapel.csv", extf("03", bookings, account_length=5))
    assert (result.rows_loaded, result.skip_reasons) == (1, {"revenue booking": 1})
    assert con.execute("SELECT amount, cost_category FROM raw.cost_bookings").fetchall() == [(Decimal("100"), "marketing")]


def test_datev_booking_without_a_valid_account_is_quarantined_not_skipped(tmp_path):
    result, con = load(tmp_path, COSTS, "EXTF_Buchungsstapel.csv", extf("03", [("10,00", "S", "46X0", "70001", "0103", "Tippfehler")]))
    assert (result.rows_loaded, result.rows_quarantined, result.rows_skipped) == (0, 1, 0)
    assert con.execute("SELECT line, column_name, reason FROM raw._quarantine").fetchall() == [(3, "Konto", "required value missing")]


# --- the ledger --------------------------------------------------------------------------------


def test_a_ledger_from_before_skipped_rows_gets_the_column_and_counts_nothing_skipped(tmp_path):
    con = duckdb.connect(str(tmp_path / "old.duckdb"))
    con.execute("CREATE SCHEMA raw")
    con.execute("CREATE TABLE raw._loads (load_id VARCHAR PRIMARY KEY, entity VARCHAR NOT NULL, file VARCHAR NOT NULL, "
                "file_sha256 VARCHAR NOT NULL, size_bytes BIGINT, parse_options VARCHAR, rows_read BIGINT, rows_loaded BIGINT, "
                "rows_quarantined BIGINT, extra_columns VARCHAR, status VARCHAR NOT NULL, message VARCHAR, loaded_at TIMESTAMP NOT NULL)")
    con.execute("INSERT INTO raw._loads VALUES ('a', 'cost_bookings', 'old.csv', 'x', 1, '{}', 10, 9, 1, '[]', 'loaded', NULL, now())")
    ensure_ledger(con)
    ensure_ledger(con)  # idempotent
    health = delivery_health(con, "cost_bookings", threshold=0.5)
    assert health.passed and (health.rows_read, health.rows_skipped) == (10, 0)
    con.close()


@pytest.mark.slow  # dbt runs the staging models
def test_hubspot_closed_deals_reach_staging_closed_and_open_deals_stay_open(dbt_manifest, tmp_path):
    """Before Close Date was mapped, staging had no closed date: kpi_sales_monthly counts a won
    deal as a new contract only in the month of its closed_date, and keeps a deal in the open
    pipeline while its closed_date is null. Staging now closes won and lost deals on their date."""
    from tests.helpers import invoke_dbt

    columns = [*DEFAULT_PROPERTIES, "Amount in company currency"]
    rows = [row | {"Amount in company currency": row["Amount"]} for row in DEALS_ROWS]
    result, con = load(tmp_path, DEALS, "deals.csv", hubspot_csv(columns, rows))
    assert result.rows_loaded == 3
    create_raw_schema(con)  # the other sources, empty
    con.close()
    invoke_dbt(["run", "--select", "+stg_crm__deals"], tmp_path / "target", tmp_path / "warehouse.duckdb")
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as con:  # the configuration dbt-duckdb keeps open
        got = con.execute("SELECT deal_id, stage, closed_date, amount_eur FROM staging.stg_crm__deals ORDER BY 1").fetchall()
    assert got == [("8800001", "won", date(2025, 4, 10), Decimal("12000.00")),
                   ("8800002", "lost", date(2025, 4, 22), Decimal("8000.00")),
                   ("8800003", "negotiation", None, Decimal("30000.00"))]


def test_every_datev_expense_range_gives_a_cost_category_the_contract_allows():
    from ingestion.account_chart import COST
    from ingestion.mapping import load_mappings

    [datev] = [m for m in load_mappings() if m.accounts]
    allowed = set(COSTS.column(datev.accounts.category_column).allowed)
    for chart in datev.accounts.charts.values():
        categories = {r.kind.removeprefix(COST) for r in chart.ranges if r.kind.startswith(COST)}
        assert categories == allowed, chart.name  # each category reachable, none outside the contract
        assert all(0 <= r.low <= r.high <= 9999 for r in chart.ranges), chart.name


# --- GA4 BigQuery export ------------------------------------------------------------------------

def ga4_event(name: str, micros: int, params: dict, **extra) -> dict:
    """One event as the BigQuery export writes it: 64-bit integers as strings, params as a list."""
    values = [{"key": k, "value": {"int_value": str(v)} if isinstance(v, int) else {"string_value": v}}
              for k, v in params.items()]
    return {"event_date": "20250512", "event_timestamp": str(micros), "event_name": name, "event_params": values,
            "user_pseudo_id": "1197596843.1747036800", "event_bundle_sequence_id": "1", "batch_event_index": None, **extra}


def test_a_whole_ga4_day_loads_the_events_the_contract_models_and_counts_the_others(tmp_path):
    session = {"ga_session_id": 1747036800, "page_location": "https://www.example.com/"}
    events = [ga4_event("first_visit", 1747036800000000, session), ga4_event("session_start", 1747036800000001, session),
              ga4_event("page_view", 1747036800000002, session), ga4_event("scroll", 1747036830000000, session),
              ga4_event("user_engagement", 1747036840000000, session), ga4_event("scroll", 1747036850000000, session),
              ga4_event("view_promotion", 1747036860000000, session | {"promotion_name": "banner_summer"})]
    data = "".join(json.dumps(e) + "\n" for e in events).encode()
    result, con = load(tmp_path, CONTRACTS["web_events"], "events_20250512.ndjson", data)
    assert (result.status, result.rows_read, result.rows_loaded, result.rows_quarantined, result.rows_skipped) == ("loaded", 7, 2, 0, 5)
    assert result.skip_reasons == {"event_name first_visit is no web_events record": 1, "event_name scroll is no web_events record": 2,
                                   "event_name session_start is no web_events record": 1,
                                   "event_name user_engagement is no web_events record": 1}
    got = con.execute("SELECT event_name, element FROM raw.web_events ORDER BY event_timestamp").fetchall()
    assert got == [("page_view", None), ("element_impression", "banner_summer")]
    assert delivery_health(con, "web_events", threshold=0.01).passed


# --- LinkedIn content export ---------------------------------------------------------------------

LINKEDIN_HEADER = ["Post title", "Post link", "Post type", "Posted by", "Created date", "Impressions", "Clicks",
                   "Likes", "Comments", "Reposts", "Content Type"]
LINKEDIN_NOTE = ["Data for all posts created during the selected date range. Metrics for sponsored posts include paid results."]
LINKEDIN_POSTS = [
    ["Wir stellen ein", "https://www.linkedin.com/feed/update/urn:li:activity:7325000000000000001", "Organic",
     "Anna Beispiel", "05/07/2025", 1800, 36, 24, 3, 2, "Image"],
    ["Fallstudie", "https://www.linkedin.com/feed/update/urn:li:activity:7325000000000000002", "Organic",
     "Anna Beispiel", "05/21/2025", 2600, 91, 40, 6, 5, "Document"],
]


def test_linkedin_workbook_reads_its_all_posts_sheet_below_the_note_row(tmp_path):
    """The export workbook (saved as .xlsx) opens on a metrics sheet; the posts are on "All posts",
    whose first row is a note (the header is row 2), so the posts are rows 3 and 4."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Metrics"
    book.active.append(["Date", "Impressions (organic)"])
    posts = book.create_sheet("All posts")
    for row in [LINKEDIN_NOTE, LINKEDIN_HEADER, *LINKEDIN_POSTS]:
        posts.append(row)
    path = tmp_path / "content.xlsx"
    book.save(path)
    result, con = load(tmp_path, CONTRACTS["social_posts"], "content.xlsx", path.read_bytes())
    assert (result.status, result.rows_loaded, result.parse_options["sheet"], result.parse_options["mapping"]) == (
        "loaded", 2, "All posts", "linkedin_posts")
    got = con.execute("SELECT _line, post_type, published_at::VARCHAR FROM raw.social_posts ORDER BY _line").fetchall()
    assert got == [(3, "image", "2025-05-07 00:00:00"), (4, "carousel", "2025-05-21 00:00:00")]


@pytest.mark.parametrize("note", [True, False], ids=["with the note row", "without it"])
def test_linkedin_sheet_saved_as_csv_loads_with_or_without_the_note_row(tmp_path, note):
    out = io.StringIO()
    csv.writer(out).writerows([*([LINKEDIN_NOTE] if note else []), LINKEDIN_HEADER, *LINKEDIN_POSTS])
    result, con = load(tmp_path, CONTRACTS["social_post_metrics"], "all_posts.csv", out.getvalue().encode())
    assert (result.status, result.rows_read, result.rows_loaded) == ("loaded", 2, 2)
    got = con.execute("SELECT _line, impressions, clicks FROM raw.social_post_metrics ORDER BY _line").fetchall()
    first = 3 if note else 2
    assert got == [(first, 1800, 36), (first + 1, 2600, 91)]
