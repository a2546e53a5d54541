"""The suite's own layout: `tests/conftest.py` lists the test files that read the built sample, so
that `make test` builds it on one worker; a file missing from the list costs a second build, a file
listed without reason takes a worker's share away from the others. And a test's own data folder
starts from the session's dbt parse (`tests.helpers.seed_parse`) instead of parsing the project again."""
from pathlib import Path

import pytest

from tests.conftest import BUILT_SAMPLE_SCOPE, LONG_SCOPES, ON_BUILT_SAMPLE, READS_BUILT_SAMPLE
from tests.helpers import data_dir_env, seed_settings_parse, settings_for


def test_the_files_on_the_built_sample_are_the_listed_ones(request):
    found = request.config.stash[READS_BUILT_SAMPLE]
    reading = {file for file, reads in found.items() if reads}
    assert reading == ON_BUILT_SAMPLE & set(found), "update ON_BUILT_SAMPLE in tests/conftest.py"


def test_the_long_scopes_name_test_files_that_exist():
    root = Path(__file__).parent.parent
    assert all((root / scope).is_file() and scope not in ON_BUILT_SAMPLE for scope in LONG_SCOPES if scope != BUILT_SAMPLE_SCOPE)


@pytest.mark.slow  # dbt parses
def test_a_data_folder_of_a_test_parses_nothing_again(dbt_manifest, tmp_path):
    from transform.dbt import log_dir, run_dbt, target_dir

    settings = seed_settings_parse(settings_for(tmp_path))
    with data_dir_env(tmp_path):
        run_dbt("parse")
    log = (log_dir(target_dir(settings)) / "dbt.log").read_text(encoding="utf-8")
    assert "Nothing changed, skipping partial parsing." in log, [line for line in log.splitlines() if "pars" in line]
