"""Sum per-chunk GX validation results into one `SuiteResult`.

A suite passes only if it passes on every chunk; counts add up; samples are kept until a few
distinct values are collected. GX returns expectation results in its own order and adds a
`batch_id` to their kwargs, so results are matched to the suite by type and the remaining kwargs.
"""
from __future__ import annotations

import datetime as dt
import decimal
import json
from typing import Any

import great_expectations as gx
from great_expectations.expectations.metadata_types import FailureSeverity
import numpy as np
import pandas as pd

from .context import SAMPLE_SIZE
from .outcomes import SuiteResult, Tally
from .personal import personal_columns, sample_value


def expectation_key(config) -> str:
    """Identifies an expectation of a suite in GX's results, whose kwargs GX extends by `batch_id`."""
    rest = {k: v for k, v in config.kwargs.items() if k != "batch_id"}
    return config.type + json.dumps(rest, sort_keys=True, default=str)


def json_safe(value: Any) -> Any:
    """Samples go into JSON and Dagster metadata: NaN/NaT become None, odd types become text."""
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def error_message(exception_info: Any) -> str | None:
    """GX nests exception details per metric; return the first message, if any."""
    if not isinstance(exception_info, dict):
        return None
    if exception_info.get("raised_exception"):
        return exception_info.get("exception_message") or "exception"
    for info in exception_info.values():
        message = error_message(info)
        if message:
            return message
    return None


class ChunkMerger:
    def __init__(self, suite: gx.ExpectationSuite):
        self._tallies: dict[str, Tally] = {}
        for exp in suite.expectations:
            config = exp.configuration
            self._tallies[expectation_key(config)] = Tally(config.type, config.kwargs.get("column"),
                                                           severity=FailureSeverity(config.severity).value)
        self._personal = personal_columns(suite.name)
        self.rows = 0

    def add(self, validation, rows: int) -> None:
        """Fold one chunk's `ExpectationSuiteValidationResult` (of `rows` rows) into the sums."""
        self.add_rows(rows)
        for res in validation.results:
            self.add_result(res, rows)

    def add_rows(self, rows: int) -> None:
        """Count rows whose expectation results arrive separately (`add_result`, `add_pass`)."""
        self.rows += rows

    def add_result(self, res, rows: int) -> None:
        """Fold one `ExpectationValidationResult` over `rows` rows into its expectation's sums."""
        tally = self._tallies[expectation_key(res.expectation_config)]
        result = res.result or {}
        tally.success = tally.success and bool(res.success)
        tally.element_count += int(result.get("element_count", rows))
        if "unexpected_count" in result:
            tally.unexpected_count += int(result["unexpected_count"] or 0)
            found = result.get("partial_unexpected_list") or []
        else:  # column-level checks (e.g. the dtype of a typed column) report one observed value
            tally.unexpected_count += 0 if res.success else rows
            found = [] if res.success or "observed_value" not in result else [result["observed_value"]]
        personal = tally.column in self._personal
        for value in (sample_value(json_safe(v), personal) for v in found):
            if len(tally.sample) < SAMPLE_SIZE and value not in tally.sample:
                tally.sample.append(value)
        tally.error = tally.error or error_message(res.exception_info)

    def add_pass(self, res, rows: int) -> None:
        """`rows` of these rows are known to pass `res`'s expectation (it held on a superset of them)."""
        self.add_passed(res.expectation_config, rows)

    def add_passed(self, config, rows: int) -> None:
        """`rows` rows GX did not see are known to pass the expectation `config` (see `screen`)."""
        self._tallies[expectation_key(config)].element_count += rows

    def confirm_count(self, config, expected: int, by: str) -> None:
        """Fail the expectation, saying why, unless GX counted `expected` rows breaking it."""
        tally = self._tallies[expectation_key(config)]
        if tally.unexpected_count != expected:
            tally.success = False
            tally.error = tally.error or f"{by} counted {expected} rows breaking it, Great Expectations {tally.unexpected_count}"

    def result(self, suite_name: str, *, run_id: str, scope: str = "") -> SuiteResult:
        """Empty input validated nothing: success with no outcomes rather than a failure."""
        outcomes = tuple(t.freeze() for t in self._tallies.values()) if self.rows else ()
        failed = sum(not o.success for o in outcomes)
        return SuiteResult(
            suite_name=suite_name, success=failed == 0, evaluated=len(outcomes), failed=failed,
            element_count=self.rows, outcomes=outcomes, run_id=run_id, scope=scope,
            validated_at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        )
