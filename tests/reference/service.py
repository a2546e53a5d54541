"""Service (tickets) and satisfaction (survey answers) KPIs per local month.

Tickets are re-exported at every status change: the latest version by `updated_at` holds the
ticket's final created / first response / resolved times. Survey answers count in the month of
their local answer date; a response delivered twice counts once.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path

from .exports import hours, latest_by_ts, local_date, median, month_of, opt_ts, ratio, read_rows


def service_kpis(landing: Path) -> dict[date, dict[str, object]]:
    """tickets_created, complaints (type complaint created in the month), first_response_hours_median
    (tickets created in the month that got a response), resolution_hours_median (complaints resolved
    in the month, created to resolved), tickets_resolved and reopen_rate (resolved in the month and
    reopened / resolved in the month), ticket_backlog (created by the month's last local day and not
    resolved by then; the export keeps only a ticket's last resolution)."""
    tickets = latest_by_ts(read_rows(landing, "crm", "tickets"), ("ticket_id",), "updated_at")
    created: dict[date, int] = defaultdict(int)
    complaints: dict[date, int] = defaultdict(int)
    response: dict[date, list[float]] = defaultdict(list)
    resolution: dict[date, list[float]] = defaultdict(list)
    resolved: dict[date, int] = defaultdict(int)
    reopened: dict[date, int] = defaultdict(int)
    for t in tickets:
        opened = opt_ts(t, "created_at")
        month = month_of(local_date(opened))
        created[month] += 1
        if t["ticket_type"] == "complaint":
            complaints[month] += 1
        if (first := opt_ts(t, "first_response_at")) is not None:
            response[month].append(hours(opened, first))
        if (done := opt_ts(t, "resolved_at")) is not None:
            done_month = month_of(local_date(done))
            resolved[done_month] += 1
            reopened[done_month] += t["reopened_at"] != ""
            if t["ticket_type"] == "complaint":
                resolution[done_month].append(hours(opened, done))
    months = set(created) | set(resolved)
    spans = [(month_of(local_date(opt_ts(t, "created_at"))),
              month_of(local_date(opt_ts(t, "resolved_at"))) if t["resolved_at"] else None) for t in tickets]
    return {m: {
        "tickets_created": created[m],
        "complaints": complaints[m],
        "first_response_hours_median": median(response[m]),
        "resolution_hours_median": median(resolution[m]),
        "tickets_resolved": resolved[m],
        "reopen_rate": ratio(reopened[m], resolved[m]),
        "ticket_backlog": sum(opened <= m and (done is None or done > m) for opened, done in spans),
    } for m in months}


def satisfaction_kpis(landing: Path) -> dict[date, dict[str, object]]:
    """csat (share 4-5, share 1-2, ratio), satisfaction_index ((mean − 1) / 4 × 100) and nps
    (% promoters 9-10 − % detractors 0-6) of the answers given in the month."""
    answers = latest_by_ts(read_rows(landing, "crm", "survey_responses"), ("response_id",), "answered_at")
    csat: dict[date, list[int]] = defaultdict(list)
    nps: dict[date, list[int]] = defaultdict(list)
    for a in answers:
        month = month_of(local_date(opt_ts(a, "answered_at")))
        {"csat": csat, "nps": nps}[a["survey_type"]][month].append(int(a["score"]))
    out = {}
    for m in set(csat) | set(nps):
        c, n = csat[m], nps[m]
        satisfied, unsatisfied = sum(s >= 4 for s in c), sum(s <= 2 for s in c)
        out[m] = {
            "csat_answers": len(c),
            "csat_satisfied_share": ratio(satisfied, len(c)),
            "csat_unsatisfied_share": ratio(unsatisfied, len(c)),
            "csat_ratio": ratio(satisfied, unsatisfied),
            "satisfaction_index": (sum(c) / len(c) - 1) / 4 * 100 if c else None,
            "nps_answers": len(n),
            "nps": (sum(s >= 9 for s in n) - sum(s <= 6 for s in n)) / len(n) * 100 if n else None,
        }
    return out
