"""The sample-export generator: reproducible bytes, contract-shaped files in both export profiles,
ids that resolve to their parents, and nothing outside the requested window."""
from __future__ import annotations

import csv
import gzip
import hashlib
import io
import re
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from ingestion.contract import load_contracts
from ingestion.generate import generate
from ingestion.generate.__main__ import main
from ingestion.generate.clock import at, local
from ingestion.generate.profiles import DE, DE_ENTITIES

BERLIN = ZoneInfo("Europe/Berlin")
CONTRACTS = load_contracts()
FILE_NAME = re.compile(r"^(?P<entity>[a-z_]+)_(?P<month>\d{4}-\d{2})\.csv(?P<gz>\.gz)?$")
REFERENCE = re.compile(r"RE-\d{4}-\d{6}(?!\d)")


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("tiny-42")
    counts = generate(out, seed=42, size="tiny")
    assert set(counts) == set(CONTRACTS) and all(counts.values())
    return out


def digests(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def files_of(root: Path, entity: str) -> list[Path]:
    return sorted((root / CONTRACTS[entity].source / entity).iterdir())


def text_of(path: Path) -> str:
    raw = path.read_bytes()
    raw = gzip.decompress(raw) if path.name.endswith(".gz") else raw
    return raw.decode("cp1252" if path.parent.name in DE_ENTITIES else "utf-8")


def records(root: Path, entity: str) -> list[dict]:
    delimiter = ";" if entity in DE_ENTITIES else ","
    out = []
    for path in files_of(root, entity):
        out.extend(csv.DictReader(io.StringIO(text_of(path), newline=""), delimiter=delimiter))
    return out


def moment(value: str, entity: str) -> datetime:
    """UTC datetime of a timestamp in the entity's profile."""
    if entity in DE_ENTITIES:
        return datetime.strptime(value, "%d.%m.%Y %H:%M:%S").replace(tzinfo=BERLIN).astimezone(timezone.utc)
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


def day_of(value: str, entity: str, column_type: str) -> date:
    """Local (Europe/Berlin) calendar day of a date or timestamp value."""
    if column_type == "timestamp":
        return moment(value, entity).astimezone(BERLIN).date()
    return datetime.strptime(value, "%d.%m.%Y" if entity in DE_ENTITIES else "%Y-%m-%d").date()


def test_same_seed_gives_byte_identical_files(tiny, tmp_path, capsys):
    assert main(["--out", str(tmp_path), "--seed", "42", "--size", "tiny"]) == 0
    assert digests(tmp_path) == digests(tiny)
    summary = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in summary[:-1]] == sorted(CONTRACTS)


def test_another_seed_gives_other_data(tiny, tmp_path):
    generate(tmp_path, seed=43, size="tiny")
    ours, theirs = digests(tiny), digests(tmp_path)
    shared = set(ours) & set(theirs)
    assert sum(ours[name] != theirs[name] for name in shared) > 0.9 * len(shared)


def test_every_entity_has_monthly_files_headed_by_the_contract_columns(tiny):
    for entity, contract in CONTRACTS.items():
        paths = files_of(tiny, entity)
        assert len(paths) >= 6, entity
        for path in paths:
            match = FILE_NAME.match(path.name)
            assert match and match["entity"] == entity, path
            assert bool(match["gz"]) == (entity == "web_events"), path
            header = text_of(path).split("\n", 1)[0]
            delimiter = ";" if entity in DE_ENTITIES else ","
            assert header.split(delimiter) == contract.column_names, path


def test_german_files_are_windows_1252_with_semicolons_and_german_text(tiny):
    undecodable_as_utf8 = 0
    for entity in DE_ENTITIES:
        text = ""
        for path in files_of(tiny, entity):
            raw = path.read_bytes()
            text += raw.decode("cp1252")
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                undecodable_as_utf8 += 1
            assert raw.split(b"\n", 1)[0].count(b";") == len(CONTRACTS[entity].columns) - 1
        if entity in ("order_lines", "cancellations", "returns", "bank_transactions", "cost_bookings"):
            assert re.search("[€äöüÄÖÜß]", text), entity
    assert undecodable_as_utf8 > 0
    bank = records(tiny, "bank_transactions")
    assert any("€" in row["purpose"] for row in bank)
    assert all(re.fullmatch(r"-?\d{1,3}(\.\d{3})*,\d{2}", row["amount"]) for row in bank)
    assert any("." in row["amount"] for row in bank), "no amount of 1.000 or more to show thousands separators"
    assert all(re.fullmatch(r"\d{2}\.\d{2}\.\d{4}", row["booking_date"]) for row in bank)


def test_generic_files_are_utf8_with_commas_and_iso_timestamps(tiny):
    for entity in set(CONTRACTS) - DE_ENTITIES:
        for path in files_of(tiny, entity):
            assert text_of(path).split("\n", 1)[0].count(",") == len(CONTRACTS[entity].columns) - 1
    sessions = records(tiny, "web_sessions")
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", s["session_start"]) for s in sessions)


def test_profiles_format_numbers_dates_and_local_time():
    decimal, timestamp = DE.formatters["decimal"], DE.formatters["timestamp"]
    assert decimal(Decimal("1234.56")) == "1.234,56"
    assert decimal(Decimal("-1234567.50")) == "-1.234.567,50"
    assert timestamp(datetime(2025, 3, 1, 9, 15)) == "01.03.2025 10:15:00"
    assert timestamp(datetime(2025, 7, 1, 8, 0)) == "01.07.2025 10:00:00"
    with pytest.raises(ValueError):
        timestamp(datetime(2025, 10, 26, 0, 30))  # 02:30 local, which happens twice that night
    for switch_day in (date(2025, 3, 30), date(2025, 10, 26)):
        assert all(local(at(switch_day, s)).hour != 2 for s in range(0, 86400, 300))


def test_every_reference_resolves_to_its_parent(tiny):
    customers = {r["customer_id"] for r in records(tiny, "customers")}
    orders = {}
    for row in records(tiny, "orders"):
        orders[row["order_id"]] = row
    assert orders and all(o["customer_id"] in customers for o in orders.values())
    assert all(line["order_id"] in orders for line in records(tiny, "order_lines"))
    assert all(r["order_id"] in orders for r in records(tiny, "returns") + records(tiny, "cancellations"))
    references = [o["payment_reference"] for o in orders.values()]
    assert len(set(references)) == len(references)
    found = [ref for t in records(tiny, "bank_transactions") for ref in REFERENCE.findall(t["purpose"])]
    assert len(found) > 0.5 * len(orders)
    assert set(found) <= set(references)
    sessions = {s["session_id"]: s for s in records(tiny, "web_sessions")}
    events = records(tiny, "web_events")
    assert len({e["event_id"] for e in events}) == len(events)
    purchases = Counter()
    for event in events:
        assert event["session_id"] in sessions
        if event["event_name"] == "purchase":
            order = orders[event["order_id"]]
            assert order["sales_channel"] == "web"
            assert moment(event["event_timestamp"], "web_events") == moment(order["ordered_at"], "orders")
            assert sessions[event["session_id"]]["customer_id"] == order["customer_id"]
            purchases[event["order_id"]] += 1
    web_orders = {oid for oid, o in orders.items() if o["sales_channel"] == "web"}
    assert web_orders and set(purchases) == web_orders and set(purchases.values()) == {1}
    contacts = {r["contact_id"] for r in records(tiny, "contacts")}
    deals = {r["deal_id"] for r in records(tiny, "deals")}
    campaigns = {r["campaign_id"] for r in records(tiny, "campaigns")}
    tickets = {r["ticket_id"] for r in records(tiny, "tickets")}
    posts = {r["post_id"] for r in records(tiny, "social_posts")}
    assert all(r["contact_id"] in contacts for r in records(tiny, "lifecycle_stage_changes"))
    assert all(r["deal_id"] in deals for r in records(tiny, "deal_stage_history") + records(tiny, "quotes"))
    assert all(r["campaign_id"] in campaigns and r["customer_id"] in customers for r in records(tiny, "campaign_members"))
    assert all(r["post_id"] in posts for r in records(tiny, "social_post_metrics"))
    assert all(r["ticket_id"] in tickets for r in records(tiny, "survey_responses") if r["ticket_id"])
    for entity in ("contacts", "deals", "quotes", "contracts", "tickets", "survey_responses", "web_sessions"):
        assert all(r["customer_id"] in customers for r in records(tiny, entity) if r["customer_id"]), entity


def test_leads_are_older_than_the_first_order_of_their_customer(tiny):
    first_order: dict[str, datetime] = {}
    for order in records(tiny, "orders"):
        ordered = moment(order["ordered_at"], "orders")
        first_order[order["customer_id"]] = min(first_order.get(order["customer_id"], ordered), ordered)
    converted = [c for c in records(tiny, "contacts") if c["customer_id"] in first_order]
    assert converted
    assert all(moment(c["created_at"], "contacts") < first_order[c["customer_id"]] for c in converted)


# Columns that record when something happened; they must fall inside the export window.
ACTIVITY = {
    "orders": "ordered_at", "cancellations": "cancelled_at", "returns": "returned_at", "web_sessions": "session_start",
    "web_events": "event_timestamp", "bank_transactions": "booking_date", "cost_bookings": "booking_date",
    "tickets": "created_at", "survey_responses": "answered_at", "campaign_members": "sent_at",
    "lifecycle_stage_changes": "changed_at", "deal_stage_history": "entered_at", "social_posts": "published_at",
    "social_post_metrics": "metric_date", "social_followers": "follower_date", "campaigns": "start_date",
}
# Dates that may lie ahead of the export: planned ends, notice periods, value dates, next month's start.
FORWARD_LOOKING = {("campaigns", "end_date"), ("contracts", "start_date"), ("contracts", "end_date"),
                   ("contracts", "cancellation_effective_date"), ("bank_transactions", "value_date")}


def test_nothing_falls_outside_the_requested_window(tmp_path):
    start, end = date(2024, 3, 1), date(2024, 8, 31)
    generate(tmp_path, seed=5, size="tiny", start=start, end=end)
    for entity, contract in CONTRACTS.items():
        months = {FILE_NAME.match(p.name)["month"] for p in files_of(tmp_path, entity)}
        assert months <= {f"2024-{m:02d}" for m in range(3, 9)}, entity
        rows = records(tmp_path, entity)
        assert rows, entity
        for column in contract.columns:
            if column.type not in ("date", "timestamp") or (entity, column.name) in FORWARD_LOOKING:
                continue
            days = [day_of(r[column.name], entity, column.type) for r in rows if r[column.name]]
            assert all(d <= end for d in days), (entity, column.name, max(days))
            if ACTIVITY.get(entity) == column.name:
                assert min(days) >= start, (entity, column.name, min(days))
    rates = {day_of(r["rate_date"], "fx_rates", "date") for r in records(tmp_path, "fx_rates")}
    # Rates reach back before the window far enough for every contract that predates it.
    contract_starts = [day_of(r["start_date"], "contracts", "date") for r in records(tmp_path, "contracts")]
    assert min(rates) <= min(min(contract_starts), start - timedelta(days=7)) and max(rates) == end
    assert len(rates) == (end - min(rates)).days + 1, "a day without rates"


def test_size_s_is_about_a_hundred_thousand_rows_over_the_default_window(tmp_path):
    """The benchmark sizes (S, M, L) are rows over the generator's default window, which the
    pipeline benchmark uses too; S is the one cheap enough to count here (M and L scale with it)."""
    rows = sum(generate(tmp_path, seed=42, size="S").values())
    assert 90_000 <= rows <= 115_000, rows
