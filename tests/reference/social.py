"""Social media KPIs per month and channel: post metrics by metric date, followers by day.

Metric rows carry only the post id; the channel comes from the post. Metric and follower dates
are calendar dates already (no time zone to apply).
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path

from .exports import latest_by_date, latest_by_ts, month_of, parse_date, ratio, read_rows


def social_kpis(landing: Path) -> dict[tuple[date, str], dict[str, object]]:
    """Keyed by (month, channel): impressions, social_interactions (likes + comments + shares +
    clicks), engagement_rate (interactions / impressions), follower_growth (followers on the last
    day of the month − on the last day of the prior month; in the first month − the first day's)."""
    posts = {p["post_id"]: p["channel"]
             for p in latest_by_ts(read_rows(landing, "social", "social_posts"), ("post_id",), "published_at")}
    impressions: dict[tuple, int] = defaultdict(int)
    interactions: dict[tuple, int] = defaultdict(int)
    for r in latest_by_date(read_rows(landing, "social", "social_post_metrics"), ("post_id", "metric_date"), "metric_date"):
        key = (month_of(parse_date(r["metric_date"], r["_german"])), posts[r["post_id"]])
        impressions[key] += int(r["impressions"])
        interactions[key] += sum(int(r[c]) for c in ("likes", "comments", "shares", "clicks"))
    daily: dict[str, dict[date, int]] = defaultdict(dict)
    for r in latest_by_date(read_rows(landing, "social", "social_followers"), ("channel", "follower_date"), "follower_date"):
        daily[r["channel"]][parse_date(r["follower_date"], r["_german"])] = int(r["followers"])
    growth: dict[tuple, int] = {}
    for channel, by_day in daily.items():
        previous_end = by_day[min(by_day)]  # first month: change against its first day
        for month in sorted({month_of(d) for d in by_day}):
            end = by_day[max(d for d in by_day if month_of(d) == month)]
            growth[(month, channel)] = end - previous_end
            previous_end = end
    return {key: {
        "impressions": impressions.get(key, 0),
        "social_interactions": interactions.get(key, 0),
        "engagement_rate": ratio(interactions.get(key, 0), impressions.get(key, 0)),
        "follower_growth": growth.get(key),
    } for key in set(impressions) | set(growth)}
