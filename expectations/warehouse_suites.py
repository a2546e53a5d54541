"""The row expectations of the staging models and the marts: ranges, declared here, not read from dbt.

dbt tests own keys, not-null, relationships, accepted values and reconciliations; these suites
add what dbt does not check. Staging: value ranges (`rules.RANGE_RULES`) and plausible dates.
Marts: the unit range of every KPI column (`kpi_units`) or the mart's own rule. Volume, freshness
and distribution of the whole relation are in `profile`. Staging column types are checked on the
relation's schema in SQL (`sql_checks.schema_outcome`), against `expected_types`: exact DuckDB
types are lost on the way to pandas (decimals become floats) and GX 1.24 does not recognise
pandas 3's string dtype; the marts' types are their enforced dbt contracts.
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
    """Ranges: the raw entity's rules on the columns staging keeps, the model's own, plausible dates."""
    rules = [r for r in rules_for(contract.entity) if r.column in meta.columns] if contract else []
    configs = [rule.config() for rule in rules + rules_for(meta.name)]
    types = expected_types(meta, contract)
    for name in meta.columns:
        if types.get(name) in ("DATE", "TIMESTAMP"):
            configs.append(expectation("expect_column_values_to_be_between", column=name, **_date_window(name, types[name], today, earliest)))
    return configs


def mart_configs(meta: ModelMeta) -> list[dict]:
    """Ranges: the mart's own rules, else the unit range of each KPI column (`kpi_units`)."""
    own = {rule.column: rule.config() for rule in rules_for(meta.name)}
    configs = []
    for name, column in meta.columns.items():
        bound = column_bound(column)
        if name in own:
            configs.append(own[name])
        elif bound:
            configs.append(expectation("expect_column_values_to_be_between", column=name, min_value=bound[0], max_value=bound[1]))
    return configs
