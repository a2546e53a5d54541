"""Every kind of check can fail: `python -m tests.mutations` (or `make mutations`) breaks the code
once per kind of check, the way a careless change would, each time in a fresh copy of the work
tree, and the test named for that kind must turn red there. The named tests first run together on
an unbroken copy and must pass, so red means the break, not the copy.

A break names its file by a glob (the dbt layout may move models) and the exact text it replaces,
which must occur once: when the code changes under it, the harness says which break to update.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Break:
    kind: str   # the kind of check it proves can fail
    path: str   # glob relative to the repository, matching one file
    old: str    # text that occurs exactly once in that file
    new: str
    test: str   # pytest node id that must fail once `old` is replaced by `new`


BREAKS = (
    Break("dbt unit test (KPI formula)", "dbt_project/macros/ratios.sql",
          "then cast({{ numerator }} as double) / cast({{ denominator }} as double)",
          "then cast({{ denominator }} as double) / cast({{ numerator }} as double)",
          "tests/test_dbt_project.py::test_dbt_unit_tests_pass"),
    Break("dbt data test (staging keeps one version per key)", "dbt_project/macros/latest_version.sql",
          "where _version_rank = 1", "where _version_rank >= 1",
          "tests/test_end_to_end.py::test_every_asset_materializes_and_every_check_passes"),
    Break("Great Expectations expectation (range rule)", "expectations/rules.py",
          '"min_value": self.min_value,', '"min_value": None,',
          "tests/test_expectations.py::test_negative_quantity_fails_the_range_rule"),
    Break("loader guarantee (same content loads once)", "ingestion/loader.py",
          "    if facts.sha256 in seen:\n", "    if False:\n",
          "tests/test_loader.py::test_same_file_twice_and_renamed_copy_load_once"),
    Break("held-back file (released when deleted)", "ingestion/holdback.py",
          "        if not (landing_dir / file).exists():", "        if False:",
          "tests/test_holdback.py::test_a_0_byte_file_is_held_the_entity_passes_and_deleting_the_file_releases_it"),
    Break("serving copy (a stale WAL is dropped at publish)", "serving/publish.py",
          '    Path(f"{target}.wal").unlink(missing_ok=True)\n', "",
          "tests/test_serving.py::test_stale_wal_beside_the_serving_file_does_not_make_it_unopenable"),
    Break("configuration guard (paths stay inside the data folder)", "ingestion/settings.py",
          "or path.is_relative_to(data_dir)", "or True",
          "tests/test_hardening.py::test_paths_escaping_the_data_folder_are_refused"),
)


def copy_work_tree(target: Path) -> Path:
    """The files git knows or would add (tracked and untracked, not ignored), as they are now."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO,
                            capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = REPO / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def apply(copy: Path, item: Break) -> None:
    matches = sorted(copy.glob(item.path))
    if len(matches) != 1:
        raise SystemExit(f"break {item.kind!r}: {item.path} matches {len(matches)} files, not 1: update BREAKS")
    text = matches[0].read_text(encoding="utf-8")
    if text.count(item.old) != 1:
        raise SystemExit(f"break {item.kind!r}: {matches[0].relative_to(copy)} holds {item.old!r} "
                         f"{text.count(item.old)} times, not once: update BREAKS")
    matches[0].write_text(text.replace(item.old, item.new), encoding="utf-8")


def run_tests(copy: Path, tests: list[str]) -> subprocess.CompletedProcess:
    # -m "": the slow tests too; -p no:cacheprovider: nothing written beside the copy's tests
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", "-m", "", *tests],
                          cwd=copy, capture_output=True, text=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="run the breaks whose kind contains this text")
    args = parser.parse_args(argv)
    breaks = [b for b in BREAKS if args.only is None or args.only.lower() in b.kind.lower()]
    if not breaks:
        raise SystemExit(f"no break's kind contains {args.only!r}")
    with tempfile.TemporaryDirectory(prefix="crm-mutations-") as tmp:
        unbroken = run_tests(copy_work_tree(Path(tmp) / "unbroken"), [b.test for b in breaks])
        if unbroken.returncode != 0:
            print(unbroken.stdout[-4000:], unbroken.stderr[-2000:], sep="\n")
            print("the named tests fail without any break: fix them first")
            return 1
        stayed_green = []
        for i, item in enumerate(breaks):
            copy = copy_work_tree(Path(tmp) / f"break-{i}")
            apply(copy, item)
            started = time.monotonic()
            done = run_tests(copy, [item.test])
            red = done.returncode == 1  # 1: tests failed (2-5: interrupted, usage or collection errors)
            print(f"{'red  ' if red else 'GREEN'} {time.monotonic() - started:6.0f} s  {item.kind}: {item.test}")
            if not red:
                stayed_green.append(item)
                print(done.stdout[-2000:], done.stderr[-1000:], sep="\n")
            shutil.rmtree(copy, ignore_errors=True)
    if stayed_green:
        print(f"{len(stayed_green)} of {len(breaks)} breaks left their test green: that test cannot fail")
        return 1
    print(f"every one of {len(breaks)} breaks turned its test red")
    return 0


if __name__ == "__main__":
    sys.exit(main())
