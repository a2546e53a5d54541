"""When each chosen scenario is planted, where the export ends, and `<out>.scenarios.json`, the
truth the tests and the analysis checks read.

A plant lands, by default, in the latest month whose KPI is final at the export end (its
maturity lag in `kpis/registry.yml`), so the analysis is expected to flag it there.
"""
from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date, timedelta
from pathlib import Path

from kpis import load as load_registry

from .clock import add_months, month_end
from .scenarios import CATALOGUE, CUT_DAY

MANIFEST_SUFFIX = ".scenarios.json"


def _month(value: date) -> str:
    return f"{value:%Y-%m}"


def export_end(chosen: list[str], month: date | None, end: date) -> date:
    """The last day in the export: the window's end, or the cut of `immature_last_month` a few days
    into the month after `month` (by default into the window's last month)."""
    if "immature_last_month" not in chosen:
        return end
    cut = (add_months(month, 1) if month else end).replace(day=CUT_DAY)
    if cut > end:
        raise ValueError(f"immature_last_month: the export would end on {cut}, after the window's end {end}; "
                         "choose an earlier --scenario-month or a later --end")
    return cut


def plant_months(chosen: list[str], month: date | None, start: date, end: date) -> dict[str, date]:
    """First day of each chosen scenario's month; checks that a plant has a month before it to be
    compared with and is complete in the export."""
    last = export_end(chosen, month, end)
    lags = {k.id: k.maturity_lag_days for k in load_registry().kpis}
    months = {}
    for name in chosen:
        if name == "immature_last_month":
            months[name] = last.replace(day=1)
            continue
        planted = month or _latest_mature(last, lags[CATALOGUE[name].kpi])
        if planted <= start.replace(day=1) or month_end(planted) > last:
            raise ValueError(f"scenario {name}: month {_month(planted)} must be complete in the export "
                             f"({start} to {last}) and have a month before it; choose another --scenario-month")
        months[name] = planted
    return months


def _latest_mature(last: date, lag_days: int) -> date:
    """The latest month that ends at least `lag_days` before the export end."""
    month = last.replace(day=1)
    while month_end(month) + timedelta(days=lag_days) > last:
        month = add_months(month, -1)
    return month


def manifest_path(out: Path) -> Path:
    """Beside the landing zone, not in it: the loader reports every file it cannot load."""
    out = Path(out).resolve()
    return out.parent / f"{out.name}{MANIFEST_SUFFIX}"


def write_manifest(out: Path, months: dict[str, date], seed: int, start: date, last: date) -> Path | None:
    """Write the manifest, or remove one a previous run left when nothing is planted now."""
    path = manifest_path(out)
    if not months:
        path.unlink(missing_ok=True)
        return None
    path.write_text(json.dumps(manifest(months, seed, start, last), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def manifest(months: dict[str, date], seed: int, start: date, last: date) -> dict:
    """What was planted: one entry per scenario with its month, cause, expected direction and size."""
    entries = [{"id": name, "month": _month(month)} | asdict(CATALOGUE[name]) for name, month in months.items()]
    return {"seed": seed, "start": start.isoformat(), "export_end": last.isoformat(), "scenarios": entries}
