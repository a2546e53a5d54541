"""Wires late-data detection (`ingestion.late_data`) into a daily run's dbt window.

It runs in the step that builds the daily-partitioned models, after ingestion, whatever started
the run (the nightly schedule, the sensor, the UI, the headless refresh): rows loaded since those
models were last materialized that change days before the run's window widen the window back to
their first day, the way a backfill of those days would. The widening is said as an observation
on the models (a line of the headless refresh's console) and in the run's log.
"""
from __future__ import annotations

from datetime import date, datetime, timezone

import dagster as dg

from ingestion.connection import connect_warehouse
from ingestion.contract import load_contracts
from ingestion.late_data import LateRows, late_rows
from ingestion.settings import load_settings

METADATA_KEY = "late_data"


def last_build(context: dg.AssetExecutionContext) -> datetime | None:
    """When the run's daily models were last materialized (the earliest of them), or None if never."""
    events = (context.instance.get_latest_materialization_event(key) for key in context.selected_asset_keys)
    times = [event.timestamp for event in events if event is not None]
    return datetime.fromtimestamp(min(times), timezone.utc) if times else None


def find_late_rows(context: dg.AssetExecutionContext, before: date, tz: str) -> list[LateRows]:
    since = last_build(context)
    if since is None:  # a first build takes every row
        return []
    with connect_warehouse(load_settings()) as con:
        tables = {name for (name,) in con.execute(
            "select table_name from information_schema.tables where table_schema = 'raw'").fetchall()}
        contracts = [c for c in load_contracts().values() if c.entity in tables]
        return late_rows(con, contracts, since, before, tz)


def report(context: dg.AssetExecutionContext, first: str, last: str, late: list[LateRows]) -> str:
    message = f"late data: rebuilding {first} to {last} ({'; '.join(r.describe() for r in late)})"
    context.log.info(message)
    for key in sorted(context.selected_asset_keys):
        context.log_event(dg.AssetObservation(asset_key=key, metadata={METADATA_KEY: message}))
    return message
