"""Late data: which delivered rows change days before a run's window (`ingestion.late_data`).

A first delivery of exchange rates and sessions, then a second one after the last build: it repeats
some rows unchanged (an overlapping export), corrects two December rates and adds a session that
started at 23:30 UTC on 30 November (1 December in Berlin), and a rate for a day inside the window.
"""
from __future__ import annotations

from datetime import date, datetime, timezone

import duckdb

from ingestion.contract import create_raw_schema, load_contracts
from ingestion.late_data import late_rows

FIRST_LOAD = "2026-01-02 01:00:00"
BUILT = datetime(2026, 1, 2, 2, 0, tzinfo=timezone.utc)
SECOND_LOAD = "2026-01-07 01:00:00"
WINDOW_START = date(2026, 1, 6)


def _rates(con, loaded_at: str, rows: list[tuple[str, str]]) -> None:
    for day, rate in rows:
        con.execute("insert into raw.fx_rates (rate_date, currency, rate_to_reporting, _loaded_at) "
                    "values (?, 'USD', ?, ?)", [day, rate, loaded_at])


def test_only_changed_rows_before_the_window_count_with_their_local_days():
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    create_raw_schema(con)
    _rates(con, FIRST_LOAD, [("2025-12-01", "0.91"), ("2025-12-02", "0.92"), ("2025-12-03", "0.93")])
    _rates(con, SECOND_LOAD, [("2025-12-01", "0.91"), ("2025-12-02", "0.95"), ("2025-12-03", "0.96"),
                              ("2026-01-06", "0.90")])
    con.execute("insert into raw.web_sessions (session_id, user_pseudo_id, session_start, _loaded_at) values "
                "('late', 'u', timestamp '2025-11-30 23:30:00', ?)", [SECOND_LOAD])
    contracts = list(load_contracts().values())

    late = {r.entity: r for r in late_rows(con, contracts, BUILT, WINDOW_START, "Europe/Berlin")}

    assert set(late) == {"fx_rates", "web_sessions"}
    rates = late["fx_rates"]
    assert (rates.rows, rates.first_day, rates.last_day) == (2, date(2025, 12, 2), date(2025, 12, 3))
    assert rates.describe() == "fx_rates: 2 rows changed for 2025-12-02 to 2025-12-03"
    assert late["web_sessions"].first_day == date(2025, 12, 1), "the session's day is its day in Berlin"
    assert late_rows(con, contracts, datetime(2026, 1, 8, tzinfo=timezone.utc), WINDOW_START, "Europe/Berlin") == []
