"""Expectation suites by name: raw suites derived from the entity contracts, others declared.

A suite is a list of plain GX expectation configurations (`{"type": ..., "kwargs": ...}`), so
staging or mart suites can be declared later with `declare_suite(name, configs)` exactly like
the raw ones are built here, and the runner finds any of them by name.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

import great_expectations as gx
from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

from ingestion.contract import Contract, load_contracts

from .rules import rules_for

# Pandas dtype names (and the Python type of object-column values) that count as numeric.
NUMERIC_TYPES = ["int", "int8", "int16", "int32", "int64", "Int64", "float", "float32", "float64", "Float64", "Decimal"]

_SUITES: dict[str, gx.ExpectationSuite] = {}


def expectation(type_: str, **kwargs) -> dict:
    """One expectation configuration, as GX serialises it."""
    return {"type": type_, "kwargs": kwargs}


def raw_suite_name(contract: Contract) -> str:
    return contract.table


def raw_expectation_configs(contract: Contract) -> list[dict]:
    """What every delivery of `contract` must satisfy, row by row (whole-table checks live in dbt)."""
    keys = set(contract.primary_key)
    configs = []
    for column in contract.columns:
        name = column.name
        if column.required or name in keys:
            configs.append(expectation("expect_column_values_to_not_be_null", column=name))
        if column.allowed:
            configs.append(expectation("expect_column_values_to_be_in_set", column=name, value_set=list(column.allowed)))
        if column.type in ("integer", "decimal"):
            configs.append(expectation("expect_column_values_to_be_in_type_list", column=name, type_list=NUMERIC_TYPES))
    for rule in rules_for(contract.entity):
        if rule.column not in contract.column_names:
            raise ValueError(f"range rule for {contract.entity}.{rule.column}: no such column in the contract")
        configs.append(rule.config())
    return configs


def declare_suite(name: str, configs: Iterable[Mapping]) -> gx.ExpectationSuite:
    """Build (or replace) the suite `name`; GX checks each configuration's type and kwargs here."""
    expectations = [ExpectationConfiguration(**dict(config)).to_domain_obj() for config in configs]
    suite = gx.ExpectationSuite(name=name, expectations=expectations)
    _SUITES[name] = suite
    return suite


def raw_suite(contract: Contract) -> gx.ExpectationSuite:
    return declare_suite(raw_suite_name(contract), raw_expectation_configs(contract))


def get_suite(name: str) -> gx.ExpectationSuite:
    """The declared suite `name`; `raw.<entity>` suites are built from the contracts on first use."""
    if name not in _SUITES:
        contract = next((c for c in load_contracts().values() if raw_suite_name(c) == name), None)
        if contract is None:
            raise KeyError(f"no expectation suite named {name!r}: declare it with declare_suite()")
        raw_suite(contract)
    return _SUITES[name]
