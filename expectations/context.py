"""One ephemeral GX context per process, and validation of one pandas frame against a suite.

Creating a context and registering a datasource is slow compared with validating a chunk, so
both happen once and every chunk reuses them. The pandas datasource is used because GX's SQL
datasource on DuckDB returns empty metrics (every expectation fails with "list index out of range").
"""
from __future__ import annotations

import threading
from functools import lru_cache

import great_expectations as gx
import pandas as pd
from great_expectations.data_context.types.base import (
    DataContextConfig,
    InMemoryStoreBackendDefaults,
    ProgressBarsConfig,
)

# Few samples per expectation: enough to see what is wrong, small enough for asset metadata.
SAMPLE_SIZE = 5
RESULT_FORMAT = {"result_format": "SUMMARY", "partial_unexpected_count": SAMPLE_SIZE}

_lock = threading.Lock()


@lru_cache(maxsize=1)
def gx_context():
    """In-memory context: no files, no analytics, no progress bars in the logs."""
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(),
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
    )
    return gx.get_context(mode="ephemeral", project_config=config)


@lru_cache(maxsize=1)
def _frame_batches():
    datasource = gx_context().data_sources.add_pandas("chunks")
    return datasource.add_dataframe_asset("frame").add_batch_definition_whole_dataframe("whole_frame")


def validate_frame(frame: pd.DataFrame, suite: gx.ExpectationSuite):
    """Run `suite` on `frame`; serialised because the shared context is not thread-safe."""
    with _lock:
        batch = _frame_batches().get_batch(batch_parameters={"dataframe": frame})
        return batch.validate(suite, result_format=RESULT_FORMAT)
