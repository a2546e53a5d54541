"""Great Expectations suites for the warehouse, a chunked runner and offline Data Docs.

Plain Python that knows nothing of Dagster: orchestration calls `runner.validate_delivery`
(or `deliveries.validate_new_deliveries`) and turns the `SuiteResult` into asset-check results.

GX decides whether to send usage statistics when a context is created; the machines are
offline, so analytics are switched off here, before any submodule imports great_expectations.
"""
import os

os.environ["GX_ANALYTICS_ENABLED"] = "False"
