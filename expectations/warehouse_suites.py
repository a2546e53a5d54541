"""Suites for the staging models and the marts, derived from the dbt manifest and the contracts.

Staging: key and required columns not null, value sets and value ranges (dbt tests, the entity
contract, `rules.RANGE_RULES`) and plausible dates. Marts: not-null keys, value sets and the unit
range of every KPI column (`kpi_units`). Column types are checked on the relation's schema in SQL
(`sql_checks.schema_outcome`), against `expected_types`: exact DuckDB types are lost on the way to
pandas (decimals become floats) and GX 1.24 does not recognise pandas 3's string dtype.
"""
from __future__ import annotations

import datetime as dt

from ingestion.contract import METADATA_COLUMNS, Contract

from .dbt_models import ModelMeta
from .kpi_units import column_bound
from .rules import rules_for
from .suites import expectation

LINEAGE_COLUMNS = ("_file", "_line")
# Types of derived staging columns, by the naming convention the dbt docs describe.
SUFFIX_TYPES = {"_date": "DATE", "_at": "TIMESTAMP", "_eur": "DECIMAL(18,2)", "_pseudonym": "VARCHAR", "_hash": "VARCHAR"}
EVENT_HORIZON = dt.timedelta(days=7)  # events are not in the future (slack for time zones and value dates)
PLANNED_HORIZON = dt.timedelta(days=3660)  # contract and campaign terms are planned up to ten years ahead
PLANNED_DATES = ("start_date", "end_date", "_effective_date")


def expected_types(meta: ModelMeta, contract: Contract | None = None) -> dict[str, str]:
    """DuckDB type per column: declared in dbt, else the contract's, else by suffix; unknown ones are skipped."""
    types = {}
    for name, column in meta.columns.items():
        declared = column.data_type.upper() if column.data_type else None
        if declared is None and contract is not None and name in contract.column_names:
            declared = contract.column(name).sql_type
        if declared is None and name in METADATA_COLUMNS:
            declared = METADATA_COLUMNS[name]
        suffix = next((s for s in SUFFIX_TYPES if name.endswith(s)), None)
        declared = declared or (SUFFIX_TYPES[suffix] if suffix else None)
        if declared:
            types[name] = declared
    return types


def _date_window(name: str, sql_type: str, today: dt.date, earliest: dt.date) -> dict:
    """ISO bounds: GX compares dates with `yyyy-mm-dd` and timestamps with `yyyy-mm-ddT00:00:00`.
    The floor is a setting (`Settings.earliest_date`): an older date is a parse error, not history."""
    horizon = PLANNED_HORIZON if name.endswith(PLANNED_DATES) else EVENT_HORIZON
    time = "T00:00:00" if sql_type == "TIMESTAMP" else ""
    return {"min_value": f"{earliest.isoformat()}{time}", "max_value": f"{(today + horizon).isoformat()}{time}"}


def staging_configs(meta: ModelMeta, contract: Contract | None, today: dt.date, earliest: dt.date) -> list[dict]:
    required = set(contract.primary_key) | {c.name for c in contract.columns if c.required} if contract else set()
    allowed = {c.name: c.allowed for c in contract.columns if c.allowed} if contract else {}
    ranges = {r.column: r for r in rules_for(contract.entity)} if contract else {}
    types = expected_types(meta, contract)
    configs = []
    for name, column in meta.columns.items():
        if column.not_null or name in required:
            configs.append(expectation("expect_column_values_to_not_be_null", column=name))
        values = column.accepted_values or allowed.get(name)
        if values:
            configs.append(expectation("expect_column_values_to_be_in_set", column=name, value_set=list(values)))
        if column.accepted_range:
            low, high = column.accepted_range
            configs.append(expectation("expect_column_values_to_be_between", column=name, min_value=low, max_value=high))
        elif name in ranges:
            configs.append(ranges[name].config())
        if types.get(name) in ("DATE", "TIMESTAMP"):
            configs.append(expectation("expect_column_values_to_be_between", column=name, **_date_window(name, types[name], today, earliest)))
    return configs


def mart_configs(meta: ModelMeta) -> list[dict]:
    configs = []
    for name, column in meta.columns.items():
        if column.not_null:
            configs.append(expectation("expect_column_values_to_not_be_null", column=name))
        if column.accepted_values:
            configs.append(expectation("expect_column_values_to_be_in_set", column=name, value_set=list(column.accepted_values)))
        bound = column_bound(column)
        if bound:
            configs.append(expectation("expect_column_values_to_be_between", column=name, min_value=bound[0], max_value=bound[1]))
    return configs
