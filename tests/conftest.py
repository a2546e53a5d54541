"""Shared fixtures. Every test writes under a temporary folder, never under ./data.

The sample is built once per session (`pipeline`); a test that needs a built warehouse reads it or
copies it (`built_sample`, `data_copy`), and only tests of the build itself build again. Tests
that need the sample, dbt or Dagster are marked `slow` here (see SLOW_FIXTURES); `pytest` leaves
them out, `make test` runs everything. Helper functions are in tests/helpers.py.
"""
from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import duckdb
import pytest

from tests.duckdb1 import duckdb1_python  # noqa: F401  (session fixture: a Python with DuckDB 1.4, cached)

# Set before any pipeline module reads the environment (settings are resolved at call time).
_SESSION_DATA = Path(tempfile.mkdtemp(prefix="crm-test-data-"))
atexit.register(shutil.rmtree, _SESSION_DATA, ignore_errors=True)
os.environ["CRM_DATA_DIR"] = str(_SESSION_DATA)
os.environ["CRM_LANDING_DIR"] = str(_SESSION_DATA / "landing")
os.environ["CRM_WAREHOUSE"] = str(_SESSION_DATA / "warehouse.duckdb")
os.environ["DAGSTER_HOME"] = str(_SESSION_DATA / "dagster_home")
os.environ["GX_ANALYTICS_ENABLED"] = "False"
os.environ["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "False"
os.environ["DO_NOT_TRACK"] = "1"
(_SESSION_DATA / "dagster_home").mkdir(parents=True, exist_ok=True)

# The sample every built warehouse of the suite holds: the tiny size, all days of the default range.
SAMPLE = {"seed": 7, "size": "tiny"}
# A test using one of these (directly or through another fixture) parses dbt or builds the sample.
SLOW_FIXTURES = {"dbt_manifest", "pipeline"}


def pytest_collection_modifyitems(items):
    for item in items:
        if SLOW_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def dbt_manifest() -> Path:
    """Parse the dbt project once per session (Dagster builds the dbt assets from it)."""
    from orchestration.manifest import prepare_manifest
    from orchestration.project import manifest_file

    prepare_manifest()
    return manifest_file()


@pytest.fixture(scope="session")
def manifest(dbt_manifest) -> dict:
    """The session's parsed dbt manifest as a dict, for static checks of the dbt project."""
    import json

    return json.loads(dbt_manifest.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def definitions(dbt_manifest):
    from orchestration.definitions import build_definitions

    return build_definitions()


@pytest.fixture(scope="session")
def sample_landing(tmp_path_factory) -> Path:
    """The sample's delivery files, generated once per session. Read them (the loader only reads
    a landing zone); copy them to add or change a file."""
    from ingestion.generate import generate

    folder = tmp_path_factory.getbasetemp() / "sample-landing"
    generate(folder, **SAMPLE)
    return folder


@pytest.fixture(scope="session")
def pipeline(dbt_manifest, sample_landing, tmp_path_factory):
    """The sample materialized once (every asset and check, publishing included) in the session's
    data folder; (settings, the run's result). Tests that change it undo it. An untouched copy is
    kept right after the build for `built_sample`."""
    from ingestion.settings import load_settings
    from tests.helpers import copy_data_dir, materialize_everything

    settings = load_settings()
    shutil.copytree(sample_landing, settings.landing_dir)
    result = materialize_everything()
    copy_data_dir(settings.data_dir, tmp_path_factory.getbasetemp() / "built-sample")
    return settings, result


@pytest.fixture(scope="session")
def built_sample(pipeline, tmp_path_factory) -> Path:
    """The data folder of the built sample as the build left it (landing, warehouse.duckdb,
    serving/, validations, dbt manifest). Read it, never write it: copy it with `data_copy`."""
    return tmp_path_factory.getbasetemp() / "built-sample"


@pytest.fixture
def data_copy(built_sample, tmp_path) -> Path:
    """A data folder of this test's own holding a copy of the built sample."""
    from tests.helpers import copy_data_dir

    return copy_data_dir(built_sample, tmp_path / "data")


@pytest.fixture
def con(tmp_path: Path):
    """A warehouse file of this test's own, open."""
    connection = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    yield connection
    connection.close()
