"""dbt, the transformation step: the one place that knows how this project invokes it."""
