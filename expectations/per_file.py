"""Per-file results from chunks that mix the rows of several delivery files.

Validating each delivery on its own pays GX's fixed cost per validation (batch, metric graph,
result objects) once per file, which dominated validation when an entity arrives as hundreds of
small files. So all new files of an entity are validated together, chunk by chunk, and each
chunk's result is split back onto the files it holds, so that a failure still names its file:

- a chunk of one file gives that file the chunk's result as it is;
- an expectation that found no unexpected value in the chunk found none in any file's share of
  it, so every file gets its row count and a pass without running GX again;
- the other expectations (failed, or any unexpected value under `mostly`, or not row by row) are
  validated again on each file's rows alone, giving exact counts and samples per file. Failures
  are rare and block everything downstream, so the extra runs fall on the rare path.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

import great_expectations as gx
import pandas as pd

from .merge import ChunkMerger, expectation_key

# Checks of a column's dtype: pandas may give one file's share of an integer column another
# numeric dtype than the chunk (no NULLs, no float), but the DuckDB type is the table's, shared
# by every file, so a passing chunk passes for each file.
TYPE_CHECKS = frozenset({"expect_column_values_to_be_in_type_list", "expect_column_values_to_be_of_type"})


def holds_for_every_row(res) -> bool:
    """True when a chunk's result for one expectation also holds for any subset of the chunk's rows."""
    if not res.success:
        return False
    result = res.result or {}
    if "unexpected_count" in result:
        return not result["unexpected_count"]
    return res.expectation_config.type in TYPE_CHECKS


class FileSplitter:
    """Folds validated chunks into one `ChunkMerger` per file, keyed by the file's SHA-256."""

    def __init__(self, suite: gx.ExpectationSuite, file_sha256s: Iterable[str],
                 validate: Callable[[pd.DataFrame, gx.ExpectationSuite], object]):
        self._suite = suite
        self._validate = validate
        self._by_key = {expectation_key(exp.configuration): exp for exp in suite.expectations}
        self._partial_suites: dict[tuple[str, ...], gx.ExpectationSuite] = {}
        self.mergers = {sha: ChunkMerger(suite) for sha in file_sha256s}

    def add(self, frame: pd.DataFrame, files: pd.Series, validation) -> None:
        """`validation` is the suite's result on `frame`; `files` holds each row's file hash."""
        rows_per_file = files.value_counts(sort=False)
        if len(rows_per_file) == 1:
            self.mergers[rows_per_file.index[0]].add(validation, len(frame))
            return
        passed, recheck = [], []
        for res in validation.results:
            (passed if holds_for_every_row(res) else recheck).append(res)
        for sha, rows in rows_per_file.items():
            self.mergers[sha].add_rows(int(rows))
            for res in passed:
                self.mergers[sha].add_pass(res, int(rows))
        if recheck:
            partial = self._partial_suite(expectation_key(res.expectation_config) for res in recheck)
            for sha, part in frame.groupby(files, sort=False, observed=True):
                for res in self._validate(part, partial).results:
                    self.mergers[sha].add_result(res, len(part))

    def _partial_suite(self, keys: Iterable[str]) -> gx.ExpectationSuite:
        """The suite's expectations named by `keys` alone, built once per combination."""
        keys = tuple(sorted(keys))
        if keys not in self._partial_suites:
            expectations = [self._by_key[key].configuration.to_domain_obj() for key in keys]
            self._partial_suites[keys] = gx.ExpectationSuite(name=self._suite.name, expectations=expectations)
        return self._partial_suites[keys]
