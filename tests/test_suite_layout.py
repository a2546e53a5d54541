"""The suite's own layout: `tests/conftest.py` lists the test files that read the built sample, so
that `make test` builds it on one worker; a file missing from the list costs a second build, a file
listed without reason takes a worker's share away from the others."""
from tests.conftest import ON_BUILT_SAMPLE, READS_BUILT_SAMPLE


def test_the_files_on_the_built_sample_are_the_listed_ones(request):
    found = request.config.stash[READS_BUILT_SAMPLE]
    reading = {file for file, reads in found.items() if reads}
    assert reading == ON_BUILT_SAMPLE & set(found), "update ON_BUILT_SAMPLE in tests/conftest.py"
