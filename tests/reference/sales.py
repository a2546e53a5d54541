"""Sales pipeline KPIs per local month: deals closed (won / lost) and quotes decided.

Deals and quotes are re-exported at every stage change; only the latest version (by `updated_at`)
counts, so a deal counts once, in the month of its local close date, with its final stage. Deal
values are converted to EUR at the rate of that close date.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

from .exports import FxTable, latest_by_ts, local_date, month_of, opt_ts, parse_dec, ratio, read_rows


def sales_kpis(landing: Path) -> dict[date, dict[str, object]]:
    """new_contracts (deals won: count, value), lost_orders (deals lost: count, value), win_rate
    (won / (won + lost), by count and by value), quote_acceptance_rate (accepted / accepted + rejected)."""
    fx = FxTable(landing)
    count = {"won": defaultdict(int), "lost": defaultdict(int)}
    value = {"won": defaultdict(Decimal), "lost": defaultdict(Decimal)}
    for d in latest_by_ts(read_rows(landing, "crm", "deals"), ("deal_id",), "updated_at"):
        if d["stage"] in count:
            closed = local_date(opt_ts(d, "closed_at"))
            count[d["stage"]][month_of(closed)] += 1
            value[d["stage"]][month_of(closed)] += fx.to_eur(parse_dec(d["amount"], d["_german"]), d["currency"], closed)
    accepted: dict[date, int] = defaultdict(int)
    decided: dict[date, int] = defaultdict(int)
    for q in latest_by_ts(read_rows(landing, "crm", "quotes"), ("quote_id",), "updated_at"):
        if q["status"] in ("accepted", "rejected"):
            month = month_of(local_date(opt_ts(q, "decided_at")))
            decided[month] += 1
            accepted[month] += q["status"] == "accepted"
    won, lost = count["won"], count["lost"]
    return {m: {
        "new_contracts_count": won[m],
        "new_contracts_value": value["won"][m],
        "lost_orders_count": lost[m],
        "lost_orders_value": value["lost"][m],
        "win_rate": ratio(won[m], won[m] + lost[m]),
        "win_rate_value": ratio(value["won"][m], value["won"][m] + value["lost"][m]),
        "quote_acceptance_rate": ratio(accepted[m], decided[m]),
    } for m in set(won) | set(lost) | set(decided)}
