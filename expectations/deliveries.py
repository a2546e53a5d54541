"""Validate every newly loaded delivery of one entity and summarise it for an asset check.

The ingestion asset calls this with the hashes of the files it just loaded. They are validated
together in one chunked pass (bounded memory, GX's fixed cost paid per chunk instead of per
file), yet every file gets its own result, so a failure names the file; results go to
`settings.validations_dir` and the Data Docs page under `settings.data_docs_dir` is rebuilt once.
A file that fails is held back by the caller (`failures` names it by hash), not the entity.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ingestion.contract import Contract
from ingestion.settings import Settings

from .docs import build_data_docs
from .outcomes import SuiteResult
from .runner import validate_deliveries
from .suites import raw_suite_name


@dataclass(frozen=True)
class DeliveriesValidation:
    suite_name: str
    results: tuple[SuiteResult, ...]
    docs_index: Path
    file_sha256s: tuple[str, ...] = ()  # of `results`, in their order

    @property
    def success(self) -> bool:
        return all(r.success for r in self.results)

    def failures(self) -> dict[str, str]:
        """file_sha256 -> why the file failed, naming rules and columns (no values: they may be personal data)."""
        return {sha: f"failed the suite {r.suite_name}: " + ", ".join(f"{o.expectation}({o.column})" for o in r.failures)
                for sha, r in zip(self.file_sha256s, self.results) if not r.success}

    def metadata(self) -> dict[str, str | int | bool]:
        """Flat values every metadata consumer (Dagster included) accepts as they are."""
        failures = [f"{r.scope}: {r.summary()}" for r in self.results if not r.success]
        return {
            "suite": self.suite_name,
            "files_validated": len(self.results),
            "rows_validated": sum(r.element_count for r in self.results),
            "expectations_failed": sum(r.failed for r in self.results),
            "failures": "\n".join(failures) or "none",
            "data_docs": str(self.docs_index),
        }


def validate_new_deliveries(
    con: duckdb.DuckDBPyConnection, contract: Contract, file_sha256s: Iterable[str], settings: Settings, **kw
) -> DeliveriesValidation:
    """No new files means nothing to validate: success, and the Data Docs are still refreshed."""
    shas = tuple(file_sha256s)
    results = validate_deliveries(con, contract, shas, results_dir=settings.validations_dir, **kw)
    index = build_data_docs(settings.validations_dir, settings.data_docs_dir)
    return DeliveriesValidation(raw_suite_name(contract), results, index, shas)
