"""Snapshot of the whole asset graph: an accidental change of keys, groups, checks, pools,
partitions, jobs, schedules or sensors shows up as a diff of tests/snapshots/asset_graph.json in review.

After an intended change: `UPDATE_SNAPSHOTS=1 make test`, then review and commit the JSON.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

SNAPSHOT = Path(__file__).parent / "snapshots" / "asset_graph.json"


def graph_snapshot(defs) -> dict:
    graph = defs.resolve_asset_graph()
    assets = {}
    for key in sorted(graph.get_all_asset_keys(), key=lambda k: k.to_user_string()):
        node = graph.get(key)
        assets[key.to_user_string()] = {
            "group": node.group_name,
            "deps": sorted(k.to_user_string() for k in node.parent_keys),
            "kinds": sorted(node.kinds),
            "owners": sorted(node.owners),
            "pool": node.pools and sorted(node.pools)[0] if node.is_materializable else None,
            "has_description": bool(node.description),
            "partitions": str(node.partitions_def) if node.partitions_def else None,
            "backfill_policy": str(node.backfill_policy.policy_type.value) if node.backfill_policy else None,
        }
    checks = {}
    for check_key in sorted(graph.asset_check_keys, key=lambda k: (k.asset_key.to_user_string(), k.name)):
        spec = graph.get_check_spec(check_key)
        checks[f"{check_key.asset_key.to_user_string()}:{check_key.name}"] = {"blocking": spec.blocking}
    schedules = {}
    for unresolved in defs.schedules or []:
        s = defs.resolve_schedule_def(unresolved.name)
        schedules[s.name] = {"cron": s.cron_schedule, "timezone": s.execution_timezone, "job": s.job_name}
    sensors = {s.name: {"jobs": sorted(j.name for j in defs.resolve_sensor_def(s.name).jobs)} for s in defs.sensors or []}
    jobs = {j.name: {"partitions": str(j.partitions_def) if j.partitions_def else None}
            for j in defs.resolve_all_job_defs() if not j.name.startswith("__")}
    return {"assets": assets, "checks": checks, "schedules": schedules, "sensors": sensors, "jobs": jobs}


def test_asset_graph_matches_snapshot(definitions):
    current = graph_snapshot(definitions)
    if os.environ.get("UPDATE_SNAPSHOTS"):
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text(json.dumps(current, indent=2, sort_keys=True) + "\n")
    assert SNAPSHOT.exists(), "no snapshot yet: run with UPDATE_SNAPSHOTS=1 and commit it"
    assert current == json.loads(SNAPSHOT.read_text())


def test_every_asset_has_a_business_description_and_writers_share_one_pool(definitions):
    snapshot = graph_snapshot(definitions)
    for key, asset in snapshot["assets"].items():
        if key.startswith(("raw/", "staging/", "intermediate/", "marts/", "serving/")):
            assert asset["has_description"], f"{key} has no description"
            assert asset["pool"] == "warehouse", f"{key} writes the warehouse outside the pool"


def test_nightly_refresh_runs_at_two_berlin_time(definitions):
    schedules = graph_snapshot(definitions)["schedules"]
    assert schedules["nightly_kpi_refresh"] == {"cron": "0 2 * * *", "timezone": "Europe/Berlin", "job": "full_refresh"}


def test_incremental_models_are_daily_partitioned_with_single_run_backfills(definitions):
    assets = graph_snapshot(definitions)["assets"]
    daily = sorted(key for key, asset in assets.items() if asset["partitions"])
    assert {"intermediate/int_web_sessions", "intermediate/int_payment_matches"} <= set(daily)
    for key in daily:
        assert assets[key]["partitions"] == "Daily, starting 2024-01-01 Europe/Berlin.", key
        assert assets[key]["backfill_policy"] == "SINGLE_RUN", key
