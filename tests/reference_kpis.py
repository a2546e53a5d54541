"""KPI values computed straight from the generated export files, independently of the pipeline.

Plain `csv` + `Decimal` + `zoneinfo`: no DuckDB, no loader code, no dbt. The end-to-end test
compares the marts with these numbers, so a bug in parsing, deduplication, currency conversion,
time zones or the KPI SQL shows up as a mismatch.
"""
from __future__ import annotations

import csv
import gzip
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")
CENT = Decimal("0.01")


def read_rows(landing: Path, source: str, entity: str) -> list[dict]:
    rows = []
    for path in sorted((landing / source / entity).iterdir()):
        raw = path.read_bytes()
        raw = gzip.decompress(raw) if path.name.endswith(".gz") else raw
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252")
        german = text.split("\n", 1)[0].count(";") > 0
        for row in csv.DictReader(io.StringIO(text, newline=""), delimiter=";" if german else ","):
            row["_german"] = german
            rows.append(row)
    return rows


def parse_ts(value: str, german: bool) -> datetime:
    """UTC-aware datetime from either export profile."""
    if german:
        return datetime.strptime(value, "%d.%m.%Y %H:%M:%S").replace(tzinfo=BERLIN).astimezone(timezone.utc)
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


def parse_date(value: str, german: bool) -> date:
    return datetime.strptime(value, "%d.%m.%Y" if german else "%Y-%m-%d").date()


def parse_dec(value: str, german: bool) -> Decimal:
    return Decimal(value.replace(".", "").replace(",", ".") if german else value)


def latest(rows: list[dict], key: tuple[str, ...], version) -> dict[tuple, dict]:
    """Latest version of each key; later deliveries win ties (files are read in name order)."""
    out: dict[tuple, dict] = {}
    for row in rows:
        k = tuple(row[c] for c in key)
        if k not in out or version(row) >= version(out[k]):
            out[k] = row
    return out


@dataclass
class Order:
    order_id: str
    customer_id: str
    local_date: date
    cancelled: bool
    net_eur: Decimal
    refund_eur: Decimal


class FxTable:
    def __init__(self, landing: Path):
        self.rates: dict[str, dict[date, Decimal]] = defaultdict(dict)
        for row in read_rows(landing, "finance", "fx_rates"):
            g = row["_german"]
            self.rates[row["currency"]][parse_date(row["rate_date"], g)] = parse_dec(row["rate_to_reporting"], g)

    def rate(self, currency: str, on: date) -> Decimal:
        if currency == "EUR":
            return Decimal(1)
        for back in range(8):
            day = on - timedelta(days=back)
            if day in self.rates[currency]:
                return self.rates[currency][day]
        raise KeyError(f"no {currency} rate within 7 days before {on}")


def orders(landing: Path) -> list[Order]:
    heads = latest(read_rows(landing, "crm", "orders"), ("order_id",), lambda r: parse_ts(r["updated_at"], r["_german"]))
    lines = latest(read_rows(landing, "crm", "order_lines"), ("order_id", "line_number"),
                   lambda r: parse_ts(r["updated_at"], r["_german"]))
    returns = latest(read_rows(landing, "crm", "returns"), ("return_id",), lambda r: parse_ts(r["returned_at"], r["_german"]))
    net: dict[str, Decimal] = defaultdict(Decimal)
    for (order_id, _), line in lines.items():
        g = line["_german"]
        net[order_id] += int(line["quantity"]) * parse_dec(line["net_unit_price"], g)
    refunds: dict[str, Decimal] = defaultdict(Decimal)
    for ret in returns.values():
        refunds[ret["order_id"]] += parse_dec(ret["refund_amount"], ret["_german"])
    fx = FxTable(landing)
    result = []
    for (order_id,), head in heads.items():
        local = parse_ts(head["ordered_at"], head["_german"]).astimezone(BERLIN).date()
        rate = fx.rate(head["currency"], local)
        result.append(Order(
            order_id, head["customer_id"], local, head["status"] == "cancelled",
            (net[order_id] * rate).quantize(CENT, ROUND_HALF_UP),
            (refunds[order_id] * rate).quantize(CENT, ROUND_HALF_UP),
        ))
    return result


def monthly_kpis(landing: Path) -> dict[date, dict[str, object]]:
    """revenue_net, orders, cancellation_rate, new_customers, arpc per month (first day)."""
    all_orders = orders(landing)
    first_order: dict[str, date] = {}
    for o in sorted(all_orders, key=lambda o: o.local_date):
        if not o.cancelled:
            first_order.setdefault(o.customer_id, o.local_date)
    months: dict[date, dict[str, object]] = defaultdict(lambda: {"revenue_net": Decimal(0), "orders": 0, "cancelled": 0, "buyers": set()})
    for o in all_orders:
        m = months[o.local_date.replace(day=1)]
        m["orders"] += 1
        if o.cancelled:
            m["cancelled"] += 1
        else:
            m["revenue_net"] += o.net_eur - o.refund_eur
            m["buyers"].add(o.customer_id)
    new = defaultdict(int)
    for first in first_order.values():
        new[first.replace(day=1)] += 1
    out = {}
    for month, m in months.items():
        out[month] = {
            "revenue_net": m["revenue_net"],
            "orders": m["orders"],
            "cancellation_rate": m["cancelled"] / m["orders"] if m["orders"] else None,
            "new_customers": new[month],
            "arpc": m["revenue_net"] / len(m["buyers"]) if m["buyers"] else None,
        }
    return out
