"""The KPI registry (`kpis/registry.yml`) and what is generated from it.

Plain Python, no Dagster and no warehouse: the report, the console summary, the Great Expectations
range checks and the tests read KPI names, units and directions from here; dbt reads the files
`python -m kpis` generates. `kpis.formatting` formats KPI values per locale.
"""
from kpis.registry import Area, Family, Kpi, PeriodColumn, Registry, RegistryError, load

__all__ = ["Area", "Family", "Kpi", "PeriodColumn", "Registry", "RegistryError", "load"]
