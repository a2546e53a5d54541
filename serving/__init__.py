"""Publishing the marts for BI tools: a read-only DuckDB copy and Parquet files, swapped atomically."""
