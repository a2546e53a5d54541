"""Reference KPI values computed straight from the generated export files, one module per family.

Plain `csv` + `gzip` + `Decimal` + `zoneinfo` + `statistics`: no DuckDB, no loader code, no dbt.
Each module follows the definitions of KPI_SPEC.md (not the dbt SQL), so the end-to-end test
catches bugs in parsing, deduplication, currency conversion, time zones and the KPI SQL alike.
The family functions return `{month_start: {mart column: value}}` (social keyed by
`(month_start, channel)`, cost by `(month_start, cost_category)`); money is Decimal to the cent,
counts int, rates float or None when the denominator is zero. `tests/reference_kpis.py` maps
them to the mart columns they are compared with.
"""
