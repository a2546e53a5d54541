"""A query's rows as a stream of pandas frames of at most `chunk_rows` rows.

GX's pandas datasource needs frames, and a whole delivery as one frame costs several times its
size in memory. DuckDB streams a relation as Arrow record batches, so only one chunk is ever
converted to pandas at a time, however many rows the query returns.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence

import duckdb
import pandas as pd
import pyarrow as pa


def _as_frame(table: pa.Table) -> pd.DataFrame:
    """Decimals become float64: Python `Decimal` objects are slow and large, and ranges need no exactness."""
    schema = pa.schema(
        pa.field(f.name, pa.float64()) if pa.types.is_decimal(f.type) else f for f in table.schema
    )
    return table.cast(schema).to_pandas(split_blocks=True)


def iter_frames(
    con: duckdb.DuckDBPyConnection, query: str, params: Sequence | None, chunk_rows: int
) -> Iterator[pd.DataFrame]:
    """Frames of exactly `chunk_rows` rows (the last one shorter).

    DuckDB emits at most one row group (122,880 rows) per batch whatever batch size is asked
    for, so batches are regrouped here; otherwise a large `chunk_rows` would not reduce the
    number of (slow to set up) GX validations. The reader is closed even if the consumer stops
    early, because DuckDB refuses every further query on a connection with an undrained result.
    """
    if chunk_rows < 1:
        raise ValueError(f"chunk_rows must be positive, got {chunk_rows}")
    reader = con.sql(query, params=params).to_arrow_reader(chunk_rows)
    try:
        pending = pa.Table.from_batches([], schema=reader.schema)
        for batch in reader:
            pending = pa.concat_tables([pending, pa.Table.from_batches([batch])])
            while pending.num_rows >= chunk_rows:
                yield _as_frame(pending.slice(0, chunk_rows))
                pending = pending.slice(chunk_rows)
        if pending.num_rows:
            yield _as_frame(pending)
    finally:
        reader.close()
