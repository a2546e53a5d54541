"""Helpers shared by the test files: data folders of their own, dbt and Dagster runs on them, and
comparing what two builds hold. Fixtures live in conftest.py; this module only has functions.

Every test that changes a warehouse works in a data folder of its own under pytest's tmp dir,
usually a copy of the session's built sample (the `built_sample` fixture), never in the sample itself.
"""
from __future__ import annotations

import math
import os
import shutil
import subprocess
import sys
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import duckdb
import msgpack
import pytest

from ingestion.settings import PROJECT_DIR, Settings, load_settings
from transform.dbt import PARTIAL_PARSE, target_dir

# The session's saved dbt parse (dbt's partial_parse.msgpack, unpacked) and its warehouse's name,
# once the session has parsed.
_session_parse: tuple[str, dict] | None = None


@lru_cache(maxsize=None)
def _profile_key(warehouse: Path) -> str:
    """The key dbt gives a saved parse for the profile on `warehouse`, computed as dbt-core's
    ManifestLoader.build_manifest_state_check does (a hash of the connection settings)."""
    from argparse import Namespace
    from pprint import pformat

    from dbt.config.runtime import load_profile
    from dbt.contracts.files import FileHash
    from dbt.flags import set_from_args
    from dbt_common.context import set_invocation_context

    from transform.dbt import DBT_PROJECT_DIR

    set_from_args(Namespace(profiles_dir=str(DBT_PROJECT_DIR)), None)
    set_invocation_context(os.environ | {"CRM_WAREHOUSE": str(warehouse)})
    profile = load_profile(str(DBT_PROJECT_DIR), {})
    return FileHash.from_contents(pformat(sorted(profile.credentials.connection_info()))).checksum


def keep_session_parse(data_dir: Path) -> None:
    """Remember the dbt parse saved in the session's data folder, for `seed_parse`; only if its key
    is the one `_profile_key` computes (a dbt that keys otherwise leaves every test parsing in full)."""
    global _session_parse
    settings = settings_for(data_dir)
    saved = msgpack.unpackb((target_dir(settings) / PARTIAL_PARSE).read_bytes(), strict_map_key=False)
    if saved["state_check"]["profile_hash"]["checksum"] == _profile_key(settings.warehouse):
        _session_parse = settings.warehouse.stem, saved


def seed_parse(target: Path, warehouse: Path) -> None:
    """Give the dbt target folder `target` the session's saved parse, keyed to `warehouse`, so that
    dbt there parses only what changed instead of the whole project (about 5 s, and once per dbt
    step in a run that did not parse first). dbt keys a saved parse to the profile's connection
    settings, the warehouse's path among them; what it parses depends only on the file's name (the
    models' database), so a warehouse of another name parses in full. The steps' own saved parses
    are dropped: they take the new one (`transform.dbt.reuse_parse`)."""
    if _session_parse is None or warehouse.stem != _session_parse[0]:
        return
    saved = _session_parse[1]
    saved["state_check"]["profile_hash"]["checksum"] = _profile_key(warehouse)
    target.mkdir(parents=True, exist_ok=True)
    for step in target.glob(f"*/{PARTIAL_PARSE}"):
        step.unlink()
    (target / PARTIAL_PARSE).write_bytes(msgpack.packb(saved))


def seed_settings_parse(settings: Settings | None = None) -> Settings:
    """`seed_parse` for the dbt target and warehouse of `settings` (default: the environment's)."""
    settings = settings or load_settings()
    seed_parse(target_dir(settings), settings.warehouse)
    return settings


def seeded_resources() -> dict:
    """The code location's resources on the environment's settings, for `dagster.materialize`, once
    its dbt target has the session's parse (`seed_settings_parse`)."""
    from orchestration.resources import build_resources

    return build_resources(seed_settings_parse())


def settings_for(data_dir: Path) -> Settings:
    return load_settings({"CRM_DATA_DIR": str(data_dir)})


def env_for(data_dir: Path) -> dict[str, str]:
    """Environment of a child process working on `data_dir` (overrides the session's paths)."""
    return os.environ | {
        "CRM_DATA_DIR": str(data_dir), "CRM_LANDING_DIR": str(data_dir / "landing"),
        "CRM_WAREHOUSE": str(data_dir / "warehouse.duckdb"), "DAGSTER_HOME": str(data_dir / "dagster_home"),
        "PYTHONPATH": str(PROJECT_DIR),
    }


@contextmanager
def data_dir_env(data_dir: Path):
    """Point this process's settings (and dbt's profile) at `data_dir` for the duration."""
    with pytest.MonkeyPatch.context() as mp:
        for name in ("CRM_DATA_DIR", "CRM_LANDING_DIR", "CRM_WAREHOUSE"):
            mp.setenv(name, env_for(data_dir)[name])
        yield data_dir


def run_module(module: str, data_dir: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", module, *args], env=env_for(data_dir), cwd=PROJECT_DIR,
                          capture_output=True, text=True, timeout=timeout)


def copy_data_dir(source: Path, target: Path) -> Path:
    """A data folder of one's own: landing, warehouse, serving copy, validations, and the dbt
    manifest (so that Dagster's dbt assets load there without parsing again)."""
    shutil.copytree(source, target, symlinks=True, ignore=shutil.ignore_patterns("dbt_target"))
    manifest = source / "dbt_target" / "manifest.json"
    if manifest.exists():
        (target / "dbt_target").mkdir()
        shutil.copy(manifest, target / "dbt_target" / "manifest.json")
    seed_settings_parse(settings_for(target))
    return target


def load_all(warehouse: Path, landing: Path) -> None:
    """Every delivery of every contract in `landing` into the raw tables of `warehouse`."""
    from ingestion.contract import load_contracts
    from ingestion.loader import load_entity

    with duckdb.connect(str(warehouse)) as con:
        for contract in load_contracts().values():
            load_entity(con, contract, landing)


def invoke_dbt(args: list[str], target_path: Path, warehouse: Path):
    """Run a dbt command in-process against `warehouse`, writing target and logs under tmp; its
    dbtRunnerResult (`.result.results` has one entry per node run)."""
    from transform.dbt import run_dbt

    seed_parse(target_path, warehouse)
    return run_dbt(*args, target=target_path, warehouse=warehouse)


def run_dbt_child(*args: str, settings: Settings, **kwargs) -> None:
    """`transform.dbt.run_dbt_child` in the data folder of `settings`, after `seed_parse`."""
    from transform import dbt

    dbt.run_dbt_child(*args, settings=seed_settings_parse(settings), **kwargs)


def materialize_everything():
    """Every asset and check of the code location, all days of the daily partitions, one run, in
    the data folder the environment names (its dbt manifest must exist)."""
    import dagster as dg

    from orchestration.definitions import all_assets
    from orchestration.partitions import all_days, partition_range_tags

    return dg.materialize(all_assets(), resources=seeded_resources(),
                          instance=dg.DagsterInstance.ephemeral(), raise_on_error=False,
                          tags=partition_range_tags(*all_days()))


class Near(float):
    """A float equal to another within a relative 1e-9: two builds may add the same doubles in another
    order and differ in the last bits (rounding both to 9 decimals is not enough: 30.4657421875 rounds
    either way). Its repr, which orders rows, keeps 6 significant digits."""

    def __eq__(self, other) -> bool:
        return isinstance(other, float) and math.isclose(self, other, rel_tol=1e-9, abs_tol=1e-12)

    def __ne__(self, other) -> bool:
        return not self == other

    __hash__ = float.__hash__

    def __repr__(self) -> str:
        return f"{float(self):.6g}"


def _comparable(value):
    """Floats compare within 1e-9 relative (`Near`), NaN compares equal to NaN."""
    if isinstance(value, float):
        return "nan" if value != value else Near(value)
    return value


def _sort_key(row):
    return tuple((value is None, repr(value)) for value in row)


def table_contents(db: Path, schemas: tuple[str, ...], exclude_columns: tuple[str, ...] = ()) -> dict[str, list]:
    """Every table and view of `schemas`, as sorted rows: equal when two builds hold the same data."""
    with duckdb.connect(str(db), read_only=True) as con:
        tables = con.execute(
            "SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema IN "
            f"({', '.join('?' for _ in schemas)}) ORDER BY 1, 2", list(schemas)).fetchall()
        contents = {}
        for schema, table in tables:
            columns = [r[0] for r in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ? "
                "ORDER BY ordinal_position", [schema, table]).fetchall() if r[0] not in exclude_columns]
            select = ", ".join(f'"{c}"' for c in columns)
            rows = [tuple(map(_comparable, r)) for r in con.execute(f'SELECT {select} FROM "{schema}"."{table}"').fetchall()]
            contents[f"{schema}.{table}"] = sorted(rows, key=_sort_key)
    return contents


def raw_counts(db: Path) -> dict[str, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'raw' AND table_name NOT LIKE '\\_%' ESCAPE '\\'").fetchall()]
        return {t: con.execute(f'SELECT count(*) FROM raw."{t}"').fetchall()[0][0] for t in tables}


def load_landing(settings: Settings) -> list:
    """Load every new delivery of every contract into raw (files seen before are skipped); the
    loader's LoadResults."""
    from ingestion.connection import connect_warehouse
    from ingestion.contract import load_contracts
    from ingestion.loader import load_entity

    results = []
    with connect_warehouse(settings) as con:
        for contract in load_contracts().values():
            results += load_entity(con, contract, settings.landing_dir)
    return results


def republish(settings: Settings):
    """Publish the warehouse's marts to the serving copy (serving.publish's PublishResult)."""
    from ingestion.connection import connect_warehouse
    from serving.publish import publish

    with connect_warehouse(settings) as con:
        return publish(con, settings.serving_dir)


# `dbt build` without dbt's tests, for a rebuild of data whose tests already passed.
MODELS_ONLY = ("--exclude-resource-type", "test", "--exclude-resource-type", "unit_test")
