"""The dbt resource of the code location starts no `dbt --version` and builds no dbt adapter in the
Dagster process (orchestration/dbt_resource.py); the dbt builds themselves are tested end to end."""
from __future__ import annotations

import dbt.version
import pytest
from packaging import version

from ingestion.settings import load_settings
from orchestration.dbt_resource import LocalDbtCliResource
from orchestration.resources import build_resources


@pytest.fixture
def resource() -> LocalDbtCliResource:
    return build_resources(load_settings())["dbt"]


def test_the_version_comes_from_the_installed_dbt_core_without_starting_dbt(resource, monkeypatch):
    def no_process(*args, **kwargs):
        raise AssertionError(f"started {args[0]}")

    monkeypatch.setattr("dagster_dbt.core.resource.check_output", no_process)
    assert isinstance(resource, LocalDbtCliResource)
    assert resource._cli_version == version.parse(dbt.version.__version__)


def test_no_adapter_is_built_in_the_dagster_process(resource, monkeypatch):
    def no_profile(*args, **kwargs):
        raise AssertionError("dbt's profile was loaded")

    monkeypatch.setattr("dbt.config.runtime.load_profile", no_profile)
    assert resource._initialize_dbt_core_adapter(["build"]) is None
