"""dagster-dbt's dbt resource without the work this project never uses.

Before every run, `DbtCliResource` asks the dbt it will start for its version with `dbt --version`:
a second Python that imports dbt, only to learn whether the executable is dbt Core or the Fusion
engine. Before every step it also builds a dbt adapter in the Dagster process (loading dbt's profile
and project, and resetting dbt's global flags and adapters), which serves only
`fetch_column_metadata` and `fetch_row_counts`. This project runs the dbt-core installed beside its
own interpreter (see `orchestration.resources`) and fetches neither, so the version comes from the
package's metadata and no adapter is built. dagster-dbt supports a missing adapter: it is what it
falls back to when building one fails. BENCHMARKS.md has what the two cost per refresh.
"""
from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from importlib.metadata import version as installed_version

from dagster_dbt import DbtCliResource
from packaging import version


class LocalDbtCliResource(DbtCliResource):
    """`DbtCliResource` for the dbt-core installed in this environment."""

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(installed_version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> None:  # type: ignore[override]
        return None
