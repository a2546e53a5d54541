"""The staging models and marts of the dbt manifest: which relations the GX suites cover, and
their columns with declared type and KPI id.

Only the model's shape is read here, never its dbt tests: dbt owns keys, relationships, accepted
values and reconciliations, and GX adds what dbt does not check (ranges, volume, freshness,
distribution; `warehouse_suites`), so no GX suite repeats a dbt test.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

LAYERS = ("staging", "marts")
_KPI_ID = re.compile(r"KPI (\w+)")


def layer_of(fqn: Sequence[str]) -> str:
    """The layer of a dbt node, from its fully qualified name: the folder under models/ (staging,
    intermediate, marts). The analysis marts (marts/analysis/) are a layer of their own: they are
    built on the other marts, land in schema marts, and keep their own asset keys and group
    (`analysis/<name>`). A node outside a folder (a seed) counts as a mart."""
    if len(fqn) <= 2:
        return "marts"
    if len(fqn) > 3 and tuple(fqn[1:3]) == ("marts", "analysis"):
        return "analysis"
    return fqn[1]


@dataclass(frozen=True)
class ModelColumn:
    name: str
    data_type: str | None = None  # declared in the model's YAML (marts enforce it as a contract)
    kpi_id: str | None = None  # the catalog id its description names ("KPI win_rate (...)")
    # A unit range `kpi_units.column_bound` refines its default by; the manifest states none.
    accepted_range: tuple[float | None, float | None] | None = None


@dataclass(frozen=True)
class ModelMeta:
    name: str
    layer: str  # staging | marts: the dbt schema and the first part of the Dagster asset key
    source_entity: str | None = None  # staging: the raw table it reads (raw.<entity>)
    columns: dict[str, ModelColumn] = field(default_factory=dict)

    @property
    def relation(self) -> str:
        return f"{self.layer}.{self.name}"


def _model(node: dict) -> ModelMeta:
    columns = {}
    for name, col in node["columns"].items():
        kpi = _KPI_ID.match(col.get("description") or "")
        columns[name] = ModelColumn(name, col.get("data_type"), kpi and kpi.group(1))
    sources = [dep.split(".")[-1] for dep in node["depends_on"]["nodes"] if dep.startswith("source.")]
    return ModelMeta(node["name"], layer_of(node["fqn"]), sources[0] if len(sources) == 1 else None, columns)


def load_models(manifest: Path) -> dict[str, ModelMeta]:
    """Staging and mart models by name, from dbt's `manifest.json`."""
    nodes = json.loads(Path(manifest).read_text(encoding="utf-8"))["nodes"]
    return {
        node["name"]: _model(node)
        for _, node in sorted(nodes.items())
        if node["resource_type"] == "model" and len(node["fqn"]) > 2 and layer_of(node["fqn"]) in LAYERS
    }
