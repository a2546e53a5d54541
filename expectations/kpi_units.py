"""The range every mart column must lie in, from its name, its KPI id and the KPI registry.

The registry (kpis/registry.yml) gives each KPI its unit and bounds: rates are fractions in
[0, 1], NPS lies in [-100, 100], the satisfaction index in [0, 100]; counts, money and durations
are not negative unless the KPI is signed (growth, net cash flow, cost reduction). Columns follow
the naming of the catalog, so one rule per unit covers every mart, and a new KPI column is checked
without touching this file.
"""
from __future__ import annotations

import kpis

from .dbt_models import ModelColumn

Bound = tuple[float | None, float | None]

# Changes vs prior period / prior year are relative differences: any sign, any size.
CHANGE_SUFFIXES = ("_change_prior_period", "_change_prior_year")
# A prior-period or prior-year value has the unit of the value it sits beside.
PRIOR_SUFFIXES = ("_prior_period", "_prior_year")

FRACTION = (0.0, 1.0)
NON_NEGATIVE = (0.0, None)

# Scales of columns that are no KPI: the survey contract's answer scales.
SCALES: dict[str, Bound] = {
    "last_csat_score": (1.0, 5.0),
    "last_nps_score": (0.0, 10.0),
}
# Named rates that are not shares: an exchange rate is any positive number.
NOT_FRACTIONS = {"fx_rate"}
# Signed columns that are no KPI of their own: DSO is negative for prepaid orders (Vorkasse).
SIGNED = {"dso_days"}
NUMERIC_PREFIXES = ("bigint", "integer", "int", "double", "float", "decimal", "numeric", "hugeint")


def base_name(column: str) -> str:
    for suffix in PRIOR_SUFFIXES:
        if column.endswith(suffix):
            return column[: -len(suffix)]
    return column


def is_numeric(data_type: str | None) -> bool:
    return bool(data_type) and data_type.lower().startswith(NUMERIC_PREFIXES)


def column_bound(column: ModelColumn) -> Bound | None:
    """[min, max] for `column` (None: unbounded); a dbt accepted_range refines the non-negative default."""
    if column.name.endswith(CHANGE_SUFFIXES) or not is_numeric(column.data_type):
        return None
    base = base_name(column.name)
    registry = kpis.load().by_id()
    kpi, described = registry.get(base), registry.get(column.kpi_id)
    if base in SCALES:
        return SCALES[base]
    if kpi and kpi.range:
        return kpi.range
    if {"rate", "share"} & set(base.split("_")) and base not in NOT_FRACTIONS:
        return FRACTION
    # Signed: the column's own KPI or the KPI its description names (running balance of net_cashflow).
    if base in SIGNED or any(k and k.signed for k in (kpi, described)):
        return None
    if kpi and kpi.bounds == FRACTION:
        return FRACTION
    if column.accepted_range and column.accepted_range[0] is not None:
        return column.accepted_range
    # Catalog KPIs and counts; a generic column (e.g. `value` of a long table) may hold any KPI.
    return NON_NEGATIVE if column.kpi_id or column.data_type.lower() in ("bigint", "integer") else None
