"""Dagster wiring of the plain packages: assets, checks, schedules, sensors, the headless refresh."""
import os

# A single-run backfill over the whole history (the first refresh) otherwise writes one "planned"
# event per asset and day before its first step. Dagster's documented cost of the switch: a failed
# run does not mark its partitions failed (they stay unmaterialized, so the next refresh retries them).
os.environ.setdefault("DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS", "true")
# The per-day materializations of a daily asset reach the event log in batches of this many, which
# orchestration.event_log stores in one transaction (Dagster's default, 0, stores them one by one).
os.environ.setdefault("DAGSTER_EVENT_BATCH_SIZE", "1000")
