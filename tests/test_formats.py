"""Every file format a German SME sends loads through the same pipeline (typing, quarantine with
lines, ledger with the format), and every other file in the landing zone is reported, not skipped."""
from __future__ import annotations

import builtins
import codecs
import datetime as dt
import gzip
import os
from decimal import Decimal
from pathlib import Path

import duckdb
import openpyxl
import pytest

from ingestion import mapping
from ingestion.contract import load_contracts
from ingestion.landing import NO_ENTITY
from ingestion.loader import delivery_files, load_entity, report_outside_files
from privacy.landing import ErasureBlocked, stage_rewrite
from privacy.matching import Identifiers
from tests.test_loader import quarantined

CONTRACTS = load_contracts()
ORDER_LINES, RETURNS, FX = CONTRACTS["order_lines"], CONTRACTS["returns"], CONTRACTS["fx_rates"]
LINES_HEADER = ["order_id", "line_number", "product_id", "quantity", "net_unit_price", "updated_at"]


@pytest.fixture
def landing(tmp_path: Path) -> Path:
    for folder in ("crm/order_lines", "crm/returns", "finance/fx_rates"):
        (tmp_path / "landing" / folder).mkdir(parents=True)
    return tmp_path / "landing"


def ledger(con) -> list[tuple]:
    return con.execute("SELECT entity, file, status, message FROM raw._loads ORDER BY file").fetchall()


def workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_xlsx_first_sheet_loads_typed_values_with_excel_row_numbers(con, landing):
    rows = [
        LINES_HEADER,
        ["O1", 1, "P1", 2, 1234.4999999999998, dt.datetime(2025, 3, 1, 10, 15)],
        [None] * 6,  # an empty row is skipped, later rows keep their Excel numbers
        ["O1", 2, "P2", 1, 0.1 + 0.2, dt.datetime(2025, 3, 2)],
        ["O2", 1, "P3", "zwei", 5, dt.datetime(2025, 3, 3, 8, 0, 30)],
        ["O3", 1, "P4", 1, 7, dt.datetime(2025, 3, 3), None, "stray"],
    ]
    workbook(landing / "crm" / "order_lines" / "lines.xlsx", {"Positionen": rows, "Notizen": [["x"]]})
    [result] = load_entity(con, ORDER_LINES, landing)
    assert (result.status, result.rows_read, result.rows_loaded, result.rows_quarantined) == ("loaded", 4, 2, 2)
    assert (result.parse_options["format"], result.parse_options["sheet"]) == ("xlsx", "Positionen")
    got = con.execute("SELECT line_number, net_unit_price, updated_at::VARCHAR, _line FROM raw.order_lines ORDER BY _line").fetchall()
    assert got == [(1, Decimal("1234.500000"), "2025-03-01 10:15:00", 2), (2, Decimal("0.300000"), "2025-03-02 00:00:00", 4)]
    assert quarantined(con) == [(5, "quantity"), (6, None)]
    assert "'zwei' is not" in con.execute("SELECT reason FROM raw._quarantine WHERE line = 5").fetchall()[0][0]


def test_xlsx_date_cells_load_into_date_columns(con, landing):
    """Excel has no date type: a date cell reads as a datetime at midnight."""
    header = ["rate_date", "currency", "rate_to_reporting"]
    workbook(landing / "finance" / "fx_rates" / "kurse.xlsx", {"Kurse": [header, [dt.date(2025, 3, 1), "USD", 0.92]]})
    [result] = load_entity(con, FX, landing)
    assert (result.status, result.rows_loaded) == ("loaded", 1)
    assert con.execute("SELECT rate_date::VARCHAR, rate_to_reporting FROM raw.fx_rates").fetchall() == [("2025-03-01", Decimal("0.920000"))]


def test_xlsx_sheet_named_by_a_vendor_mapping_with_german_conventions(con, landing, tmp_path, monkeypatch):
    folder = tmp_path / "mappings"
    folder.mkdir()
    for existing in mapping.MAPPINGS_DIR.glob("*.yaml"):
        (folder / existing.name).write_text(existing.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "test_retouren.yaml").write_text(
        "vendor: Test\nentity: returns\nsheet: Retouren\nmatch: [Retoure-Nr]\n"
        "columns: {return_id: Retoure-Nr, order_id: Auftrag, returned_at: Datum, refund_amount: Betrag, currency: Währung}\n"
        "parse: {decimal: ',', thousands: '.', timestamp_formats: ['%d.%m.%Y %H:%M'], source_timezone: Europe/Berlin}\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(mapping, "MAPPINGS_DIR", folder)
    mapping.load_mappings.cache_clear()
    try:
        header = ["Retoure-Nr", "Auftrag", "Datum", "Betrag", "Währung"]
        workbook(landing / "crm" / "returns" / "retouren.xlsx", {
            "Übersicht": [["Summe", 3]],
            "Retouren": [header,
                         ["R1", "O1", dt.datetime(2025, 3, 30, 10, 15), 1234.56, "EUR"],  # cells, summer time
                         ["R2", "O2", "01.02.2025 10:00", "12,50", "EUR"]],  # text as a German user types it
        })
        [result] = load_entity(con, RETURNS, landing)
    finally:
        mapping.load_mappings.cache_clear()
    assert (result.status, result.parse_options["sheet"], result.parse_options["mapping"]) == ("loaded", "Retouren", "test_retouren")
    assert con.execute("SELECT return_id, returned_at::VARCHAR, refund_amount FROM raw.returns ORDER BY 1").fetchall() == [
        ("R1", "2025-03-30 08:15:00", Decimal("1234.560000")), ("R2", "2025-02-01 09:00:00", Decimal("12.500000"))]


@pytest.mark.parametrize("encoding, bom", [("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE)])
def test_excel_unicode_text_utf16_tab_separated_with_ctrl_z(con, landing, encoding, bom):
    text = ("return_id\torder_id\treturned_at\trefund_amount\tcurrency\treason\r\n"
            "R1\tO1\t01.03.2025 10:00:00\t1.234,56\tEUR\tGröße passt nicht\r\n"
            'R2\tO2\t02.03.2025 10:00:00\tzwölf\tEUR\t"mit\ttab"\r\n'
            "R3\tO3\t03.03.2025 10:00:00\t5,00\tEUR\t\r\n\x1a")
    (landing / "crm" / "returns" / "retouren.txt").write_bytes(bom + text.encode(encoding))
    [result] = load_entity(con, RETURNS, landing)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (3, 2, 1)
    assert (result.parse_options["format"], result.parse_options["encoding"], result.parse_options["profile"]) == ("utf16-text", encoding, "de")
    assert quarantined(con) == [(3, "refund_amount")]
    assert con.execute("SELECT return_id, returned_at::VARCHAR, refund_amount, reason FROM raw.returns ORDER BY 1").fetchall() == [
        ("R1", "2025-03-01 09:00:00", Decimal("1234.560000"), "Größe passt nicht"), ("R3", "2025-03-03 09:00:00", Decimal("5.000000"), None)]


@pytest.mark.parametrize("delimiter, kind", [("\t", "tsv"), ("|", "psv")])
def test_tab_and_pipe_separated_text(con, landing, delimiter, kind):
    rows = [["rate_date", "currency", "rate_to_reporting"], ["2025-03-01", "USD", "0.92"], ["2025-03-02", "USD", "x"], ["2025-03-03", "CHF", "1.05"]]
    (landing / "finance" / "fx_rates" / "rates.txt").write_text("\n".join(delimiter.join(r) for r in rows) + "\n")
    [result] = load_entity(con, FX, landing)
    assert (result.parse_options["format"], result.parse_options["delimiter"], result.parse_options["profile"]) == (kind, delimiter, "generic")
    assert (result.rows_loaded, quarantined(con)) == (2, [(3, "rate_to_reporting")])
    assert con.execute("SELECT rate_date::VARCHAR, rate_to_reporting FROM raw.fx_rates ORDER BY 1").fetchall() == [
        ("2025-03-01", Decimal("0.920000")), ("2025-03-03", Decimal("1.050000"))]


@pytest.mark.parametrize("ending", ["\r\n\x1a", "\x1a", "\r\n\x1a\r\n"])
def test_a_trailing_ctrl_z_is_ignored(con, landing, ending):
    rows = "rate_date;currency;rate_to_reporting\r\n01.03.2025;USD;0,92\r\n02.03.2025;USD;0,93"
    (landing / "finance" / "fx_rates" / "kurse.csv").write_bytes((rows + ending).encode("cp1252"))
    [result] = load_entity(con, FX, landing)
    assert (result.status, result.rows_read, result.rows_loaded, result.rows_quarantined) == ("loaded", 2, 2, 0)
    assert con.execute("SELECT rate_to_reporting, _line FROM raw.fx_rates ORDER BY _line").fetchall() == [
        (Decimal("0.920000"), 2), (Decimal("0.930000"), 3)]


def test_format_comes_from_the_bytes_not_the_name(con, landing):
    """A gzip-compressed CSV without `.gz` in its name, and a Parquet file named `.dat`."""
    (landing / "finance" / "fx_rates" / "rates.csv").write_bytes(
        gzip.compress(b"rate_date,currency,rate_to_reporting\n2025-03-01,USD,0.92\n", mtime=0))
    duckdb.connect().execute(f"COPY (SELECT DATE '2025-03-02' AS rate_date, 'CHF' AS currency, 1.05 AS rate_to_reporting) "
                             f"TO '{landing / 'finance' / 'fx_rates' / 'rates.dat'}' (FORMAT parquet)")
    results = load_entity(con, FX, landing)
    assert [(r.file, r.status, r.parse_options["format"], r.parse_options["compression"]) for r in results] == [
        ("finance/fx_rates/rates.csv", "loaded", "csv", "gzip"), ("finance/fx_rates/rates.dat", "loaded", "parquet", None)]


def test_unsupported_files_in_an_entity_folder_are_reported_with_what_to_do(con, landing):
    folder = landing / "finance" / "fx_rates"
    (folder / "kurse.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    (folder / "kurse.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    (folder / "~$kurse.xlsx").write_bytes(b"\x05Owner")
    os.mkfifo(folder / "pipe")  # reading it would block: it must not be opened
    results = load_entity(con, FX, landing)
    assert {r.file: r.status for r in results} == {f"finance/fx_rates/{n}": "ignored" for n in ("kurse.pdf", "kurse.xls", "pipe", "~$kurse.xlsx")}
    messages = {r.file.rsplit("/", 1)[1]: r.message for r in results}
    assert "old binary Excel (.xls)" in messages["kurse.xls"] and "save it as .xlsx or CSV" in messages["kurse.xls"]
    assert "a PDF document: export the data as CSV or .xlsx" in messages["kurse.pdf"]
    assert "not a regular file" in messages["pipe"] and "temporary or lock file" in messages["~$kurse.xlsx"]
    assert delivery_files(FX, landing) == [folder / "kurse.pdf", folder / "kurse.xls"]
    assert load_entity(con, FX, landing) == []  # reported once
    assert len(ledger(con)) == 4


def test_files_outside_the_entity_folders_are_reported_once_and_again_when_changed(con, landing):
    (landing / "orders_2025-03.csv").write_text("order_id\nO1\n")
    (landing / "crm" / "export.csv").write_text("a\n1\n")
    (landing / "crm" / "orders_old").mkdir()
    (landing / "crm" / "orders_old" / "o.csv").write_text("a\n1\n")
    (landing / "web" / "orders").mkdir(parents=True)
    (landing / "web" / "orders" / "o.csv").write_text("a\n1\n")
    (landing / "crm" / "returns" / "r.csv").write_text("return_id\n")  # inside an entity folder: not reported here
    results = report_outside_files(con, landing)
    got = {r.file: r.message.split(": ", 1)[1] for r in results}
    assert {r.entity for r in results} == {NO_ENTITY} and {r.status for r in results} == {"ignored"}
    assert got == {
        "crm/export.csv": "a file directly in the source folder landing/crm/ is not loaded: move it into its entity folder, "
                          "landing/<source>/<entity>/; entity folders: " + ", ".join(sorted(f"{c.source}/{c.entity}" for c in CONTRACTS.values())),
        "crm/orders_old/o.csv": "landing/crm/orders_old/ is no entity folder of crm: move it to landing/crm/orders/ if it holds orders",
        "orders_2025-03.csv": "a file directly in the landing zone is not loaded: move it to landing/crm/orders/ if it holds orders",
        "web/orders/o.csv": "landing/web/orders/ is no entity folder of web: move it to landing/crm/orders/ if it holds orders",
    }
    assert report_outside_files(con, landing) == []
    (landing / "crm" / "export.csv").write_text("a\n1\n2\n")
    assert [r.file for r in report_outside_files(con, landing)] == ["crm/export.csv"]
    assert con.execute("SELECT count(*) FROM raw._loads").fetchall()[0][0] == 5


def test_a_symlink_leaving_the_landing_zone_is_refused_and_never_read(con, landing, tmp_path, monkeypatch):
    secret = tmp_path / "secret.csv"
    secret.write_text("rate_date,currency,rate_to_reporting\n2025-03-01,USD,0.92\n")
    folder = landing / "finance" / "fx_rates"
    (folder / "passwd.csv").symlink_to("/etc/passwd")
    (folder / "secret.csv").symlink_to(secret)
    (landing / "finance" / "secret.csv").symlink_to(secret)  # outside the entity folders too
    (landing / "crm" / "returns").rmdir()
    (landing / "crm" / "returns").symlink_to(tmp_path)  # a whole entity folder leading out: never walked
    (folder / "inside.csv").symlink_to(landing / "rates_for_fx.csv")  # stays in the zone: loads
    (landing / "rates_for_fx.csv").write_text("rate_date,currency,rate_to_reporting\n2025-03-02,CHF,1.05\n")
    opened = []
    real_open = builtins.open
    monkeypatch.setattr(builtins, "open", lambda file, *a, **k: opened.append(Path(file).resolve()) or real_open(file, *a, **k))
    results = load_entity(con, FX, landing) + load_entity(con, RETURNS, landing) + report_outside_files(con, landing)
    assert {r.file: r.status for r in results} == {
        "finance/fx_rates/inside.csv": "loaded", "finance/fx_rates/passwd.csv": "refused", "finance/fx_rates/secret.csv": "refused",
        "crm/returns": "refused", "finance/secret.csv": "refused", "rates_for_fx.csv": "ignored",
    }
    assert all("leading out of the landing zone: never read" in r.message for r in results if r.status == "refused")
    assert Path("/etc/passwd").resolve() not in opened and secret not in opened
    assert con.execute("SELECT currency, _file FROM raw.fx_rates").fetchall() == [("CHF", "finance/fx_rates/inside.csv")]
    assert load_entity(con, FX, landing) == [] and report_outside_files(con, landing) == []


def test_erasure_rewrites_utf16_text_skips_unsupported_files_and_stops_at_a_workbook_holding_the_person(tmp_path):
    ids = Identifiers(tokens={"r2"})
    text = tmp_path / "retouren.txt"
    text.write_bytes(codecs.BOM_UTF16_LE + "return_id\tcurrency\r\nR1\tEUR\r\nR2\tEUR\r\n".encode("utf-16-le"))
    rewrite = stage_rewrite(text, "crm/returns/retouren.txt", ids)
    assert rewrite.removed_spans == [(3, 1)]
    assert rewrite.staged.read_bytes() == codecs.BOM_UTF16_LE + "return_id\tcurrency\r\nR1\tEUR\r\n".encode("utf-16-le")
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.7 R2")
    assert stage_rewrite(tmp_path / "scan.pdf", "crm/returns/scan.pdf", ids) is None
    book = workbook(tmp_path / "retouren.xlsx", {"Retouren": [["return_id"], ["R1"]]})
    assert stage_rewrite(book, "crm/returns/retouren.xlsx", ids) is None
    workbook(book, {"Retouren": [["return_id"], ["R2"]]})
    with pytest.raises(ErasureBlocked, match="crm/returns/retouren.xlsx: this Excel workbook holds the person's records"):
        stage_rewrite(book, "crm/returns/retouren.xlsx", ids)
