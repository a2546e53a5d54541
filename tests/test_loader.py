"""Loader behaviour on hand-made deliveries: formats, bad rows, idempotence."""
from __future__ import annotations

import gzip
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from ingestion.contract import load_contracts
from ingestion.loader import load_entity

ORDERS = load_contracts()["orders"]
RETURNS = load_contracts()["returns"]
GENERIC_HEADER = "order_id,customer_id,ordered_at,status,sales_channel,currency,payment_reference,updated_at"
DE_HEADER = GENERIC_HEADER.replace(",", ";")


@pytest.fixture
def landing(tmp_path: Path) -> Path:
    (tmp_path / "landing" / "crm" / "orders").mkdir(parents=True)
    (tmp_path / "landing" / "crm" / "returns").mkdir(parents=True)
    return tmp_path / "landing"


def deliver(landing: Path, name: str, text: str, encoding: str = "utf-8", entity: str = "orders") -> Path:
    path = landing / "crm" / entity / name
    data = text.encode(encoding)
    path.write_bytes(gzip.compress(data, mtime=0) if name.endswith(".gz") else data)
    return path


def quarantined(con) -> list[tuple]:
    return con.execute("SELECT line, column_name FROM raw._quarantine ORDER BY line, column_name").fetchall()


def assert_balanced(result) -> None:
    assert result.rows_read == result.rows_loaded + result.rows_quarantined


def test_german_windows_1252_file_loads_typed_values(con, landing):
    deliver(landing, "o.csv", DE_HEADER + "\nO1;C1;31.03.2025 01:30:00;placed;web;EUR;RE-1 München 1.234,56 €;31.03.2025 01:30:00\n", "cp1252")
    [result] = load_entity(con, ORDERS, landing)
    assert (result.status, result.rows_loaded, result.parse_options["profile"]) == ("loaded", 1, "de")
    assert result.parse_options["encoding"] == "cp1252"
    ordered_at, reference = con.execute("SELECT ordered_at::VARCHAR, payment_reference FROM raw.orders").fetchall()[0]
    assert ordered_at == "2025-03-30 23:30:00"  # 01:30 CEST is 23:30 UTC the day before
    assert reference == "RE-1 München 1.234,56 €"


def test_bad_values_quarantine_their_rows_with_line_and_column(con, landing):
    deliver(landing, "o.csv", DE_HEADER + "\n"
            "O1;C1;01.03.2025 10:00:00;placed;web;EUR;R1;01.03.2025 10:00:00\n"
            "O2;C2;32.13.2025 10:00:00;placed;web;EUR;R2;01.03.2025 10:00:00\n"
            ";C3;01.03.2025 10:00:00;placed;web;EUR;R3;01.03.2025 10:00:00\n"
            "O4;C4;01.03.2025 10:00:00;placed;web\n"
            "O5;C5;01.03.2025 10:00:00;placed;web;EUR;R5;01.03.2025 10:00:00\n", "cp1252")
    [result] = load_entity(con, ORDERS, landing)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (5, 2, 3)
    assert_balanced(result)
    assert quarantined(con) == [(3, "ordered_at"), (4, "order_id"), (5, None)]
    assert con.execute("SELECT order_id, _line FROM raw.orders ORDER BY _line").fetchall() == [("O1", 2), ("O5", 6)]


def test_line_numbers_count_physical_lines_across_quoted_line_breaks(con, landing):
    deliver(landing, "o.csv", GENERIC_HEADER + "\n"
            'O1,C1,2025-03-01T10:00:00Z,placed,web,EUR,"first\nsecond, line",2025-03-01T10:00:00Z\n'
            "O2,C2,not-a-date,placed,web,EUR,R2,2025-03-01T10:00:00Z\n"
            "O3,C3,2025-03-01T10:00:00Z,placed,web,EUR,R3,2025-03-01T10:00:00Z\n")
    [result] = load_entity(con, ORDERS, landing)
    assert quarantined(con) == [(4, "ordered_at")]
    assert con.execute("SELECT order_id, _line FROM raw.orders ORDER BY _line").fetchall() == [("O1", 2), ("O3", 5)]
    assert con.execute("SELECT payment_reference FROM raw.orders WHERE order_id = 'O1'").fetchall()[0][0] == "first\nsecond, line"
    assert_balanced(result)


def test_same_file_twice_and_renamed_copy_load_once(con, landing):
    text = GENERIC_HEADER + "\nO1,C1,2025-03-01T10:00:00Z,placed,web,EUR,R1,2025-03-01T10:00:00Z\n"
    deliver(landing, "a.csv", text)
    deliver(landing, "b_renamed.csv", text)
    first = load_entity(con, ORDERS, landing)
    assert [(r.file, r.status) for r in first] == [("crm/orders/a.csv", "loaded"), ("crm/orders/b_renamed.csv", "duplicate")]
    assert load_entity(con, ORDERS, landing) == []
    assert con.execute("SELECT count(*) FROM raw.orders").fetchall()[0][0] == 1
    assert con.execute("SELECT count(*) FROM raw._loads").fetchall()[0][0] == 2


def test_missing_required_column_fails_the_file_naming_file_and_column(con, landing):
    deliver(landing, "r.csv", "return_id,order_id,returned_at,currency\nR1,O1,2025-03-01T00:00:00Z,EUR\n", entity="returns")
    [result] = load_entity(con, RETURNS, landing)
    assert result.status == "held"
    assert result.message == ('crm/returns/r.csv: line 1: required column(s) "refund_amount" missing: the header needs the columns '
                              '"return_id", "order_id", "returned_at", "refund_amount", "currency" (contract ingestion/contracts/returns.yaml)')
    assert con.execute("SELECT count(*) FROM raw.returns").fetchall()[0][0] == 0
    assert load_entity(con, RETURNS, landing) == []  # the same failing file is not retried on every run


def test_extra_columns_are_kept_and_reordered_columns_load_by_name(con, landing):
    deliver(landing, "o.csv", "updated_at,bonus_points,currency,status,order_id,customer_id,ordered_at\n"
            "2025-03-01T10:00:00Z,17,EUR,placed,O1,C1,2025-03-01T09:00:00Z\n")
    [result] = load_entity(con, ORDERS, landing)
    assert result.extra_columns == ["bonus_points"]
    row = con.execute("SELECT order_id, customer_id, status, ordered_at::VARCHAR, _extra FROM raw.orders").fetchall()[0]
    assert row == ("O1", "C1", "placed", "2025-03-01 09:00:00", '{"bonus_points":"17"}')


def test_empty_file_fails_and_header_only_loads_nothing(con, landing):
    deliver(landing, "empty.csv", "")
    deliver(landing, "header_only.csv", GENERIC_HEADER + "\n")
    results = {r.file: r for r in load_entity(con, ORDERS, landing)}
    assert results["crm/orders/empty.csv"].status == "held"
    assert "line 1: empty file" in results["crm/orders/empty.csv"].message
    header_only = results["crm/orders/header_only.csv"]
    assert (header_only.status, header_only.rows_read, header_only.rows_loaded) == ("loaded", 0, 0)


def test_utf8_bom_and_gzip_deliveries(con, landing):
    row = "\nO1,C1,2025-03-01T10:00:00Z,placed,web,EUR,Grüße,2025-03-01T10:00:00Z\n"
    deliver(landing, "bom.csv", "\ufeff" + GENERIC_HEADER + row)
    deliver(landing, "zipped.csv.gz", GENERIC_HEADER + row.replace("O1", "O2"))
    results = load_entity(con, ORDERS, landing)
    assert [r.status for r in results] == ["loaded", "loaded"]
    assert results[0].parse_options["encoding"] == "utf-8-sig"
    assert con.execute("SELECT order_id, payment_reference FROM raw.orders ORDER BY 1").fetchall() == [("O1", "Grüße"), ("O2", "Grüße")]


def test_decimal_comma_and_non_numeric_amounts(con, landing):
    header = "return_id;order_id;returned_at;refund_amount;currency"
    deliver(landing, "r.csv", header + "\nR1;O1;01.03.2025 10:00:00;1.234,56;EUR\nR2;O2;01.03.2025 10:00:00;zwölf;EUR\n", "cp1252", entity="returns")
    [result] = load_entity(con, RETURNS, landing)
    assert con.execute("SELECT return_id, refund_amount FROM raw.returns").fetchall() == [("R1", Decimal("1234.560000"))]
    assert quarantined(con) == [(3, "refund_amount")]
    assert_balanced(result)


def test_hubspot_contacts_export_in_german_maps_onto_contacts(con, landing):
    (landing / "crm" / "contacts").mkdir()
    path = landing / "crm" / "contacts" / "hubspot-crm-exports-alle-kontakte.csv"
    path.write_text(
        "Datensatz-ID,Vorname,Nachname,E-Mail,Lebenszyklusphase,Erstellungsdatum,Zuletzt geändert,Telefonnummer\n"
        "101,Jürgen,Weiß,JW@Example.de,Marketing-qualifizierter Lead,2025-03-30 10:15,2025-03-31 08:00,+49 30 1234\n"
        "102,Anna,Berg,anna@example.de,Kunde,gestern,2025-03-31 08:00,\n",
        encoding="utf-8",
    )
    [result] = load_entity(con, load_contracts()["contacts"], landing)
    assert result.parse_options["mapping"] == "hubspot_contacts"
    assert result.extra_columns == ["Telefonnummer"]
    row = con.execute("SELECT contact_id, first_name, lifecycle_stage, created_at::VARCHAR FROM raw.contacts").fetchall()
    assert row == [("101", "Jürgen", "mql", "2025-03-30 08:15:00")]  # CEST local time -> UTC
    assert con.execute("SELECT line, column_name FROM raw._quarantine").fetchall() == [(3, "Erstellungsdatum")]


def test_savings_bank_camt_csv_maps_onto_bank_transactions(con, landing):
    (landing / "finance" / "bank_transactions").mkdir(parents=True)
    header = ('"Auftragskonto";"Buchungstag";"Valutadatum";"Buchungstext";"Verwendungszweck";"Kundenreferenz (End-to-End)";'
              '"Beguenstigter/Zahlungspflichtiger";"Kontonummer/IBAN";"BIC (SWIFT-Code)";"Betrag";"Waehrung";"Info"')
    rows = [
        '"DE02120300000000202051";"03.03.25";"03.03.25";"GUTSCHRIFT";"RE-2025-000123 Müller";"NOTPROVIDED";"Müller GmbH";"DE89370400440532013000";"COBADEFFXXX";"1.234,56";"EUR";"Umsatz gebucht"',
        '"DE02120300000000202051";"04.03.25";"04.03.25";"LASTSCHRIFT";"Miete März €";"";"Vermieter AG";"DE12500105170648489890";"INGDDEFFXXX";"-980,00";"EUR";"Umsatz gebucht"',
    ]
    path = landing / "finance" / "bank_transactions" / "20250331-umsaetze.csv"
    path.write_bytes(("\n".join([header, *rows]) + "\n").encode("cp1252"))
    [result] = load_entity(con, load_contracts()["bank_transactions"], landing)
    assert (result.status, result.rows_loaded, result.parse_options["mapping"]) == ("loaded", 2, "sparkasse_camt_csv")
    got = con.execute("SELECT booking_date::VARCHAR, amount, counterparty, purpose, length(transaction_id) FROM raw.bank_transactions ORDER BY 1").fetchall()
    assert got == [("2025-03-03", Decimal("1234.560000"), "Müller GmbH", "RE-2025-000123 Müller", 32),
                   ("2025-03-04", Decimal("-980.000000"), "Vermieter AG", "Miete März €", 32)]
    assert sorted(result.extra_columns) == ["BIC (SWIFT-Code)", "Buchungstext", "Info"]


def test_web_analytics_ndjson_events_with_parameter_lists(con, landing):
    (landing / "web" / "web_events").mkdir(parents=True)
    event = ('{{"event_date":"20250301","event_timestamp":"{ts}","event_name":"{name}","user_pseudo_id":"123.456",'
             '"event_bundle_sequence_id":"9","batch_event_index":{i},"event_params":[{{"key":"ga_session_id","value":{{"int_value":"1740820000"}}}},'
             '{{"key":"page_location","value":{{"string_value":"https://shop.example.de/angebote"}}}},'
             '{{"key":"promotion_name","value":{{"string_value":"banner_top"}}}}],"ecommerce":{{}}}}')
    lines = [event.format(ts="1740820500000000", name="view_promotion", i=0), "{not json", "",
             event.format(ts="1740820560000000", name="select_promotion", i=1)]
    (landing / "web" / "web_events" / "events_20250301.ndjson").write_text("\n".join(lines) + "\n")
    [result] = load_entity(con, load_contracts()["web_events"], landing)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (3, 2, 1)
    assert result.parse_options["mapping"] == "ga4_events_ndjson"
    assert con.execute("SELECT line, reason FROM raw._quarantine").fetchall() == [(2, "INVALID JSON: line is not a JSON object")]
    rows = con.execute("SELECT session_id, event_timestamp::VARCHAR, event_name, page, element, _line FROM raw.web_events ORDER BY _line").fetchall()
    assert rows == [
        ("123.456-1740820000", "2025-03-01 09:15:00", "element_impression", "https://shop.example.de/angebote", "banner_top", 1),
        ("123.456-1740820000", "2025-03-01 09:16:00", "element_click", "https://shop.example.de/angebote", "banner_top", 4),
    ]


def test_parquet_delivery_loads_by_column_name(con, landing, tmp_path):
    target = landing / "crm" / "orders" / "orders.parquet"
    duckdb.connect().execute(
        f"""COPY (SELECT 'O' || i AS order_id, 'C1' AS customer_id, TIMESTAMP '2025-03-01 09:00:00' + INTERVAL (i) HOUR AS ordered_at,
                 'placed' AS status, 'EUR' AS currency, TIMESTAMP '2025-03-02 00:00:00' AS updated_at
                 FROM range(3) t(i)) TO '{target}' (FORMAT parquet)"""
    )
    [result] = load_entity(con, ORDERS, landing)
    assert (result.status, result.rows_loaded) == ("loaded", 3)
    assert con.execute("SELECT order_id, ordered_at::VARCHAR, _line FROM raw.orders ORDER BY 1").fetchall() == [
        ("O0", "2025-03-01 09:00:00", 1), ("O1", "2025-03-01 10:00:00", 2), ("O2", "2025-03-01 11:00:00", 3)]


def test_invalid_utf8_bytes_quarantine_only_their_line(con, landing):
    good = "\nO1,C1,2025-03-01T10:00:00Z,placed,web,EUR,Grüße aus Köln,2025-03-01T10:00:00Z\n".encode()
    broken = b"O2,C2,2025-03-01T10:00:00Z,placed,web,EUR,kaputt \xff\xfe,2025-03-01T10:00:00Z\n"
    last = "O3,C3,2025-03-01T10:00:00Z,placed,web,EUR,Straße,2025-03-01T10:00:00Z\n".encode()
    (landing / "crm" / "orders" / "o.csv").write_bytes(GENERIC_HEADER.encode() + good + broken + last)
    [result] = load_entity(con, ORDERS, landing)
    assert result.parse_options["encoding"] == "utf-8"
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (3, 2, 1)
    assert [line for line, _ in quarantined(con)] == [3]
    assert con.execute("SELECT payment_reference FROM raw.orders ORDER BY 1").fetchall() == [("Grüße aus Köln",), ("Straße",)]


def test_truncated_last_line_is_quarantined_and_the_rest_loads(con, landing):
    deliver(landing, "o.csv", GENERIC_HEADER + "\n"
            "O1,C1,2025-03-01T10:00:00Z,placed,web,EUR,R1,2025-03-01T10:00:00Z\n"
            "O2,C2,2025-03-01T1")
    [result] = load_entity(con, ORDERS, landing)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (2, 1, 1)
    assert [line for line, _ in quarantined(con)] == [3]


def test_ambiguous_day_month_date_follows_the_declared_german_format(con, landing):
    header = "return_id;order_id;returned_at;refund_amount;currency"
    deliver(landing, "r.csv", header + "\nR1;O1;01.02.2025 10:00:00;5,00;EUR\n", "cp1252", entity="returns")
    [result] = load_entity(con, RETURNS, landing)
    assert list(result.parse_options["date_formats"]) == ["%d.%m.%Y", "%d.%m.%y"]
    # 01.02. is the first of February (dd.mm), never the second of January; 10:00 CET is 09:00 UTC.
    assert con.execute("SELECT returned_at::VARCHAR FROM raw.returns").fetchall() == [("2025-02-01 09:00:00",)]


def test_duplicate_key_within_a_file_quarantines_the_repeat_and_keeps_versions(con, landing):
    deliver(landing, "o.csv", GENERIC_HEADER + "\n"
            "O1,C1,2025-03-01T10:00:00Z,placed,web,EUR,R1,2025-03-01T10:00:00Z\n"
            "O1,C1,2025-03-01T10:00:00Z,fulfilled,web,EUR,R1,2025-03-03T08:00:00Z\n"
            "O1,C1,2025-03-01T10:00:00Z,cancelled,web,EUR,R1,2025-03-01T10:00:00Z\n")
    [result] = load_entity(con, ORDERS, landing)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (3, 2, 1)
    reasons = con.execute("SELECT line, column_name, reason FROM raw._quarantine").fetchall()
    assert reasons == [(4, "order_id, updated_at", "duplicate key: same order_id, updated_at as line 2")]
    assert con.execute("SELECT status FROM raw.orders ORDER BY _line").fetchall() == [("placed",), ("fulfilled",)]


def test_clean_files_number_their_rows_by_physical_line_each_from_its_own_header(con, landing):
    rows = [f"O{i},C1,2025-03-01T10:00:00Z,placed,web,EUR,RE-{i},2025-03-01T10:00:00Z" for i in range(5)]
    deliver(landing, "a.csv", GENERIC_HEADER + "\n" + "\n".join(rows[:3]) + "\n")
    deliver(landing, "b.csv", GENERIC_HEADER + "\n" + "\n".join(rows[3:]) + "\n")
    [a, b] = load_entity(con, ORDERS, landing)
    assert (a.rows_read, a.rows_loaded, b.rows_read, b.rows_loaded) == (3, 3, 2, 2)
    assert con.execute("SELECT _file, _line, order_id FROM raw.orders ORDER BY _file, _line").fetchall() == [
        ("crm/orders/a.csv", 2, "O0"), ("crm/orders/a.csv", 3, "O1"), ("crm/orders/a.csv", 4, "O2"),
        ("crm/orders/b.csv", 2, "O3"), ("crm/orders/b.csv", 3, "O4"),
    ]
