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


# The test files that read the built sample (the `pipeline` fixture). `make test` (`--dist loadscope`)
# runs them all on one worker, which builds the sample once: a session fixture is built once per worker.
# Every other file stays on one worker, as loadscope does. tests/test_suite_layout.py keeps the list true.
ON_BUILT_SAMPLE = frozenset({
    "tests/test_bi_recipes.py", "tests/test_dbt_checks.py", "tests/test_end_to_end.py", "tests/test_erasure.py",
    "tests/test_faults.py", "tests/test_late_data.py", "tests/test_privacy.py", "tests/test_report.py",
    "tests/test_report_summary.py", "tests/test_serving.py", "tests/test_up_to_date.py", "tests/test_warehouse_checks.py",
})
BUILT_SAMPLE_SCOPE = "the built sample"
# The scopes that run chains of whole refreshes, longest first (`make test --durations`): started first,
# so that no worker is left alone with one at the end. loadscope would order by number of tests.
LONG_SCOPES = (BUILT_SAMPLE_SCOPE, "tests/test_recovery.py", "tests/test_partitions.py",
               "tests/test_refresh_console.py", "tests/test_real_exports.py", "tests/test_refresh_lock.py")
# What collection found, before `-m` deselects: {file: does a test of it read the built sample}.
READS_BUILT_SAMPLE = pytest.StashKey[dict]()


def file_of(nodeid: str) -> str:
    return nodeid.split("::")[0]


def pytest_collection_modifyitems(config, items):
    found = config.stash.setdefault(READS_BUILT_SAMPLE, {})
    for item in items:
        if SLOW_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.slow)
        file = file_of(item.nodeid)
        found[file] = found.get(file, False) or "pipeline" in item.fixturenames


def pytest_xdist_make_scheduler(config, log):
    """loadscope with the files on the built sample as one scope (pytest-xdist's loadgroup would do
    it, but ignores its groups with pytest 9.2: pytest-xdist issue #1386), the long scopes first."""
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class BuiltSampleScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return BUILT_SAMPLE_SCOPE if file_of(nodeid) in ON_BUILT_SAMPLE else file_of(nodeid)

        def _assign_work_unit(self, node) -> None:
            for scope in reversed(LONG_SCOPES):
                if scope in self.workqueue:
                    self.workqueue.move_to_end(scope, last=False)
            super()._assign_work_unit(node)

    return BuiltSampleScheduling(config, log)


@pytest.fixture(scope="session")
def dbt_manifest() -> Path:
    """Parse the dbt project once per session (Dagster builds the dbt assets from it)."""
    from ingestion.settings import load_settings
    from orchestration.manifest import prepare_manifest
    from orchestration.project import manifest_file
    from tests.helpers import keep_session_parse

    prepare_manifest()
    keep_session_parse(load_settings().data_dir)  # every other data folder of the session starts from this parse
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
