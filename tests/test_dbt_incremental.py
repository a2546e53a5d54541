"""The incremental models end equal to a full refresh.

On a generated tiny sample (seed 7): the warehouse first holds only the web sessions, bank
transactions and orders before a cutoff, and the events of the sessions of the last two days before
it are held back (late-arriving events). One old order (months before the cutoff, the first order of
a customer with later orders) is held back too: it arrives late, for a date far outside the look-back,
and becomes its customer's first order. After a first build, the held-back rows are delivered (with
a later `_loaded_at`, as the loader stamps a delivery), together with a late cancellation (a new
version of the order with status cancelled, and its Storno row) of an old order that was its
customer's first order, and a late return of another old order. An incremental run follows; its
int_web_sessions, int_payment_matches and fct_orders must equal those of a
--full-refresh run. The late events fall inside the look-back window (var incremental_lookback_days,
default 3); the late old order, cancellation and return lie far before it and must be picked up by
their load time.
"""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import duckdb
import pytest

from tests.helpers import invoke_dbt, load_all

pytestmark = pytest.mark.slow  # dbt builds and rebuilds the incremental models

SELECT = ["--select", "+int_web_sessions", "+int_payment_matches", "+fct_orders"]
CUTOFF = "2025-12-15"
LOOKBACK_DAYS = 3  # dbt var incremental_lookback_days
TABLES = {
    "int_web_sessions": "intermediate.int_web_sessions order by session_id",
    "int_payment_matches": "intermediate.int_payment_matches order by transaction_id",
    "fct_orders": "marts.fct_orders order by order_id",
}

# Old first orders of customers with at least two orders that were never cancelled and have no
# return, long before the cutoff: candidates for the late order, the late Storno and the late return.
OLD_FIRST_ORDERS = f"""
    with orders as (
        select order_id, min(customer_id) as customer_id, min(ordered_at) as ordered_at,
            bool_or(status = 'cancelled') as ever_cancelled
        from raw.orders
        group by order_id
    ),
    ranked as (
        select *,
            row_number() over (partition by customer_id order by ordered_at, order_id) as position,
            count(*) over (partition by customer_id) as customer_orders
        from orders
        where not ever_cancelled
    )
    select order_id, customer_id
    from ranked
    where position = 1 and customer_orders >= 2
        and ordered_at < timestamp '{CUTOFF}' - interval 60 day
        and order_id not in (select order_id from raw.returns)
        and order_id not in (select order_id from raw.cancellations)
    order by ordered_at, order_id
"""


def held_back(late_order: str) -> dict[str, str]:
    """Rows of each raw table kept out of the first build (conditions on the raw table)."""
    return {
        "web_sessions": f"session_start >= timestamp '{CUTOFF}'",
        "web_events": (
            "session_id in (select session_id from raw.web_sessions "
            f"where session_start >= timestamp '{CUTOFF}' - interval 2 day)"
        ),
        "bank_transactions": f"booking_date >= date '{CUTOFF}'",
        "orders": f"ordered_at >= timestamp '{CUTOFF}' or order_id = '{late_order}'",
        # held_orders exists by now (dicts keep their order), raw.orders still holds every row
        "order_lines": "order_id in (select order_id from raw._held_orders)",
    }


def snapshot(warehouse: Path, relation_ordered: str) -> list[tuple]:
    # same configuration as the connection dbt-duckdb keeps open in this process
    with duckdb.connect(str(warehouse)) as con:
        return con.execute(f"select * from {relation_ordered}").fetchall()


def snapshot_all(warehouse: Path) -> dict[str, list[tuple]]:
    return {table: snapshot(warehouse, relation) for table, relation in TABLES.items()}


def fct_order(warehouse: Path, order_id: str) -> dict | None:
    with duckdb.connect(str(warehouse)) as con:
        cursor = con.execute("select * from marts.fct_orders where order_id = ?", [order_id])
        row = cursor.fetchone()
        return dict(zip([d[0] for d in cursor.description], row)) if row else None


@pytest.fixture(scope="module")
def warehouse(dbt_manifest, tmp_path_factory, sample_landing) -> Path:
    path = tmp_path_factory.mktemp("incremental") / "warehouse.duckdb"
    load_all(path, sample_landing)
    return path


def test_incremental_run_equals_full_refresh(warehouse, tmp_path):
    with duckdb.connect(str(warehouse)) as con:
        candidates = con.execute(OLD_FIRST_ORDERS).fetchall()
        assert len({customer for _, customer in candidates[:3]}) == 3, candidates
        (late_order, _), (cancelled_order, cancelled_customer), (returned_order, _) = candidates[:3]
        held = held_back(late_order)
        for table, condition in held.items():
            con.execute(f"create table raw._held_{table} as select * from raw.{table} where {condition}")
        for table, condition in held.items():  # events first were copied while sessions were complete
            con.execute(f"delete from raw.{table} where rowid in (select rowid from raw.{table} where {condition})"
                        if table != "web_events" else
                        f"delete from raw.web_events where event_id in (select event_id from raw._held_web_events)")
        counts = {t: con.execute(f"select count(*) from raw._held_{t}").fetchone()[0] for t in held}
    assert all(count > 0 for count in counts.values()), counts

    invoke_dbt(["run", *SELECT], tmp_path / "target", warehouse)
    sessions_before = snapshot(warehouse, TABLES["int_web_sessions"])
    assert fct_order(warehouse, late_order) is None
    first_build = {o: fct_order(warehouse, o) for o in (cancelled_order, returned_order)}
    assert first_build[cancelled_order]["is_first_order"] and not first_build[cancelled_order]["is_cancelled"]
    assert first_build[returned_order]["return_count"] == 0
    with duckdb.connect(str(warehouse)) as con:
        latest_order_date = con.execute("select max(order_date) from marts.fct_orders").fetchone()[0]
        window_start = latest_order_date - timedelta(days=LOOKBACK_DAYS)
    for order in (cancelled_order, returned_order):  # far outside the look-back window
        assert first_build[order]["order_date"] < window_start - timedelta(days=30)

    with duckdb.connect(str(warehouse)) as con:
        # a later delivery: the loader stamps every row with the time of its load
        for table in held:
            con.execute(f"insert into raw.{table} select * replace (now()::timestamp as _loaded_at) from raw._held_{table}")
        con.execute(
            "insert into raw.orders select * replace ('cancelled' as status, now()::timestamp as updated_at, "
            "'late_orders.csv' as _file, 2 as _line, now()::timestamp as _loaded_at) "
            "from raw.orders where order_id = ? order by updated_at desc limit 1",
            [cancelled_order],
        )
        con.execute(
            "insert into raw.cancellations (cancellation_id, order_id, cancelled_at, reason, _file, _line, _file_sha256, _loaded_at) "
            "select 'S_LATE', order_id, ordered_at + interval 1 day, (select min(reason) from raw.cancellations), "
            "'late_cancellations.csv', 2, 'late', now()::timestamp from raw.orders where order_id = ? limit 1",
            [cancelled_order],
        )
        con.execute(
            "insert into raw.returns (return_id, order_id, returned_at, refund_amount, currency, reason, _file, _line, _file_sha256, _loaded_at) "
            "select 'R_LATE', order_id, ordered_at + interval 10 day, 5.00, currency, (select min(reason) from raw.returns), "
            "'late_returns.csv', 2, 'late', now()::timestamp from raw.orders where order_id = ? limit 1",
            [returned_order],
        )
    invoke_dbt(["run", *SELECT], tmp_path / "target", warehouse)
    incremental = snapshot_all(warehouse)
    assert len(incremental["int_web_sessions"]) > len(sessions_before)

    late = fct_order(warehouse, late_order)
    assert late is not None and late["is_first_order"], "the late old order is its customer's first order"
    cancelled = fct_order(warehouse, cancelled_order)
    assert cancelled["is_cancelled"] and not cancelled["is_first_order"] and cancelled["revenue_net_eur"] == 0
    with duckdb.connect(str(warehouse)) as con:
        firsts = con.execute(
            "select count(*) from marts.fct_orders where customer_id = ? and is_first_order", [cancelled_customer]
        ).fetchone()[0]
    assert firsts == 1, "the customer's next order became the first one"
    assert fct_order(warehouse, returned_order)["return_count"] == 1

    invoke_dbt(["run", "--full-refresh", *SELECT], tmp_path / "target", warehouse)
    full = snapshot_all(warehouse)
    for table in full:
        assert incremental[table] == full[table], f"{table}: incremental run differs from a full refresh"
