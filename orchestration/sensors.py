"""The `new_landing_files` sensor: a delivery dropped into the landing zone refreshes its entity.

The nightly schedule refreshes everything; between nights, a new or changed file in
`landing/<source>/<entity>/` starts one run of that entity's ingestion asset and everything
downstream of it (the dbt models built from it, publishing). Entities whose folders did not change
are left out, so their ingestion steps do not run. All in one run, so the blocking checks guard
publishing exactly as in the nightly job, and the pool and run queue keep the one writer. The
daily-partitioned models rebuild the days not yet built through the newest one (open-ended).

The cursor is a JSON object `{"<source>/<entity>/<file>": [size, mtime_ns]}` of every delivery
file seen; a file counts as changed when its size or mtime differ. The loader itself decides by
SHA-256 what is really new, so a touched but identical file costs a run that loads nothing.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import dagster as dg

from ingestion.contract import load_contracts
from ingestion.loader import delivery_files
from ingestion.settings import load_settings
from orchestration.partitions import all_days, days_to_build, partition_range_tags

landing_refresh_job = dg.define_asset_job(
    name="landing_refresh",
    selection=dg.AssetSelection.all(),
    description="Run by `new_landing_files`: the changed entities' ingestion and everything downstream of it.",
)

FileStamp = tuple[int, int]


def landing_snapshot(landing_dir: Path) -> dict[str, dict[str, FileStamp]]:
    """Delivery files per ingestion asset key (`raw/<entity>`), each with (size, mtime_ns)."""
    snapshot: dict[str, dict[str, FileStamp]] = {}
    for contract in load_contracts().values():
        files = {}
        for path in delivery_files(contract, landing_dir):
            stat = path.stat()
            files[path.relative_to(landing_dir).as_posix()] = (stat.st_size, stat.st_mtime_ns)
        snapshot[f"raw/{contract.entity}"] = files
    return snapshot


def changed_files(snapshot: dict[str, dict[str, FileStamp]], seen: dict[str, list[int]]) -> dict[str, list[str]]:
    """Files that are new or whose size or mtime changed since the cursor, per asset key."""
    changed = {}
    for key, files in snapshot.items():
        fresh = sorted(f for f, stamp in files.items() if tuple(seen.get(f, ())) != stamp)
        if fresh:
            changed[key] = fresh
    return changed


def run_key(changed: dict[str, list[str]], snapshot: dict[str, dict[str, FileStamp]]) -> str:
    """The same change never starts two runs: the key hashes the changed files and their stamps."""
    digest = hashlib.sha256()
    for key in sorted(changed):
        for file in changed[key]:
            digest.update(f"{file}\0{snapshot[key][file]}\n".encode())
    return f"landing-{digest.hexdigest()[:24]}"


def requested_assets(context: dg.SensorEvaluationContext, ingest: list[dg.AssetKey]) -> set[dg.AssetKey]:
    """The changed entities' ingestion assets and everything downstream of them (dbt, publishing)."""
    if context.repository_def is None:  # evaluated without definitions: nothing to walk downstream
        return set(ingest)
    return dg.AssetSelection.assets(*ingest).downstream().resolve(context.repository_def.asset_graph)


@dg.sensor(
    name="new_landing_files",
    job=landing_refresh_job,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description="New or changed delivery files in the landing zone: ingest those entities, rebuild and publish downstream.",
)
def new_landing_files(context: dg.SensorEvaluationContext):
    snapshot = landing_snapshot(load_settings().landing_dir)
    seen = json.loads(context.cursor) if context.cursor else {}
    changed = changed_files(snapshot, seen)
    cursor = json.dumps({f: list(stamp) for files in snapshot.values() for f, stamp in sorted(files.items())})
    if not changed:
        return dg.SensorResult(skip_reason=dg.SkipReason("no new or changed delivery files"), cursor=cursor)
    keys = requested_assets(context, [dg.AssetKey.from_user_string(k) for k in changed])
    days = days_to_build(context.instance, context.repository_def.asset_graph) if context.repository_def else all_days()
    return dg.SensorResult(
        run_requests=[
            dg.RunRequest(
                run_key=run_key(changed, snapshot),
                asset_selection=sorted(keys, key=lambda k: k.to_user_string()),
                tags={
                    **partition_range_tags(*days),
                    "crm/trigger": "new_landing_files",
                    "crm/entities": ",".join(k.split("/")[1] for k in sorted(changed)),
                    "crm/changed_files": str(sum(len(files) for files in changed.values())),
                },
            )
        ],
        cursor=cursor,
    )
