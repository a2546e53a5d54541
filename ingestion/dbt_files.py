"""Command line: `python -m ingestion.dbt_files [--check] [--project-dir DIR]` writes the dbt files the
contracts define, or with `--check` lists those that are stale and exits 1.

They are the source `raw` (one `_<source>__sources.yml` per source family, beside its staging
models) and the macro `contract_allowed` the staging `accepted_values` tests call. Run it after
editing a contract; `tests/test_dbt_files.py` fails while the committed files are stale.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from ingestion.contract import load_contracts
from ingestion.dbt_sources import NOTICE, sources_yaml
from ingestion.dbt_values import MACRO, macro_sql
from transform.dbt import DBT_PROJECT_DIR



def generated_files() -> dict[str, str]:
    """Path inside the dbt project -> text, for every file written from the contracts."""
    contracts = list(load_contracts().values())
    files = {}
    for source in sorted({c.source for c in contracts}):
        files[f"models/staging/{source}/_{source}__sources.yml"] = sources_yaml([c for c in contracts if c.source == source])
    files[f"macros/{MACRO}.sql"] = macro_sql(contracts)
    return files


def stale(project_dir: Path) -> list[str]:
    """Generated files that are missing, differ from what the contracts give, or were generated
    once and are no longer (a source family without contracts)."""
    expected = generated_files()
    found = {str(p.relative_to(project_dir)) for folder in ("models", "macros") for p in (project_dir / folder).rglob("*")
             if p.suffix in (".yml", ".sql") and NOTICE in p.read_text(encoding="utf-8").partition("\n")[0]}
    return sorted(relative for relative in expected.keys() | found
                  if not (project_dir / relative).is_file()
                  or (project_dir / relative).read_text(encoding="utf-8") != expected.get(relative))


def write(project_dir: Path) -> list[Path]:
    written = []
    for relative, text in generated_files().items():
        path = project_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingestion.dbt_files", description=__doc__)
    parser.add_argument("--project-dir", type=Path, default=DBT_PROJECT_DIR, help="dbt project to write into")
    parser.add_argument("--check", action="store_true", help="write nothing; list stale files and exit 1 if there are any")
    args = parser.parse_args(argv)
    if args.check:
        outdated = stale(args.project_dir)
        for relative in outdated:
            print(f"stale: {args.project_dir / relative} (run `python -m ingestion.dbt_files`)")
        return 1 if outdated else 0
    for path in write(args.project_dir):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
