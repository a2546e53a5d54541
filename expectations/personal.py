"""Personal data never enters a validation result: sample values of `pii: true` columns are withheld.

A result's sample of unexpected values goes to the stored results, the Data Docs, the asset
check metadata and the logs, none of which erasure could fully reach. Only the raw tables hold
personal data in clear (staging on holds keyed pseudonyms), so the raw suites' contracts say which
columns to withhold. A missing value is kept: it says what is wrong without saying whose it is.
"""
from __future__ import annotations

from typing import Any

from ingestion.contract import load_contracts

from .suites import raw_suite_name

WITHHELD = "[personal data withheld]"


def personal_columns(suite_name: str) -> frozenset[str]:
    """The `pii: true` columns of the raw table suite `suite_name` validates (none for other suites)."""
    for contract in load_contracts().values():
        if raw_suite_name(contract) == suite_name:
            return frozenset(column.name for column in contract.columns if column.pii)
    return frozenset()


def sample_value(value: Any, personal: bool) -> Any:
    return WITHHELD if personal and value is not None else value
