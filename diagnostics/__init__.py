"""What went wrong in a refresh, as problems a user can act on: file, line, column, values, rule, what to do.

Plain Python that knows nothing of Dagster: the headless refresh prints `collect_problems` at its
end, and the ingestion assets put `entity_problems` on their checks.
"""
