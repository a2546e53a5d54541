"""Web traffic KPIs per local month of the session start, from the sessions and events exports.

Sessions and their events come as separate (gzip) deliveries; a session belongs to the month its
start falls in (Europe/Berlin), even when it sits in the next month's file.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

from .exports import latest_by_ts, local_date, month_of, opt_ts, ratio, read_rows


def web_kpis(landing: Path) -> dict[date, dict[str, object]]:
    """visitors (distinct user pseudo ids), sessions, pages_per_session, bounce_rate (sessions with
    exactly one page view / sessions), conversion_rate (sessions with a purchase / sessions)."""
    sessions = latest_by_ts(read_rows(landing, "web", "web_sessions"), ("session_id",), "session_start")
    events = latest_by_ts(read_rows(landing, "web", "web_events"), ("event_id",), "event_timestamp")
    page_views = Counter(e["session_id"] for e in events if e["event_name"] == "page_view")
    purchases = {e["session_id"] for e in events if e["event_name"] == "purchase"}
    count: dict[date, int] = defaultdict(int)
    visitors: dict[date, set] = defaultdict(set)
    views: dict[date, int] = defaultdict(int)
    bounces: dict[date, int] = defaultdict(int)
    converted: dict[date, int] = defaultdict(int)
    for s in sessions:
        month = month_of(local_date(opt_ts(s, "session_start")))
        count[month] += 1
        visitors[month].add(s["user_pseudo_id"])
        views[month] += page_views[s["session_id"]]
        bounces[month] += page_views[s["session_id"]] == 1
        converted[month] += s["session_id"] in purchases
    return {m: {
        "visitors": len(visitors[m]),
        "sessions": count[m],
        "pages_per_session": ratio(views[m], count[m]),
        "bounce_rate": ratio(bounces[m], count[m]),
        "conversion_rate": ratio(converted[m], count[m]),
    } for m in count}
