"""What the dbt manifest says about each staging and mart model, in the shape the suites need.

The manifest already holds every fact a suite is built from: the model's columns and their
declared types (mart contracts), its not-null, accepted-values and accepted-range tests, and for
staging the raw source it reads. Reading them here keeps the suites in step with the models.
A column is not-null just as well through a not_null constraint of an enforced contract or the
model-level not_null_columns test, and range-checked through the model-level accepted_ranges test
(the project's cheaper forms of the per-column tests).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from ingestion.dbt_values import accepted_values

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
    not_null: bool = False  # an unconditional not_null test, not_null_columns test or not_null constraint
    unique: bool = False
    accepted_values: tuple[str, ...] | None = None
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


def _column_tests(nodes: dict, model_id: str) -> dict[str, dict]:
    """Per column, the facts its generic tests state; tests with a `where` only hold on a subset."""
    facts: dict[str, dict] = {}
    for node in nodes.values():
        meta = node.get("test_metadata") or {}
        column = node.get("column_name")
        if node["resource_type"] != "test" or node.get("attached_node") != model_id:
            continue
        if (node.get("config") or {}).get("where"):
            continue
        kwargs, name = meta.get("kwargs") or {}, meta.get("name")
        if name == "not_null_columns":
            for each in kwargs["column_names"]:
                facts.setdefault(each, {})["not_null"] = True
        elif name == "accepted_ranges":
            for each in kwargs["ranges"]:
                facts.setdefault(each["column"], {})["accepted_range"] = (each.get("min_value"), each.get("max_value"))
        if not column:
            continue
        fact = facts.setdefault(column, {})
        if name in ("not_null", "unique"):
            fact[name] = True
        elif name == "accepted_values":
            fact["accepted_values"] = accepted_values(kwargs["values"])
        elif name == "accepted_range":
            fact["accepted_range"] = (kwargs.get("min_value"), kwargs.get("max_value"))
    return facts


def _not_null_constraints(node: dict) -> set[str]:
    """Columns an enforced contract declares NOT NULL: the build fails on a NULL, as the test would."""
    if not ((node.get("config") or {}).get("contract") or {}).get("enforced"):
        return set()
    columns = {name for name, col in node["columns"].items()
               if any(c.get("type") == "not_null" for c in col.get("constraints") or [])}
    for constraint in node.get("constraints") or []:
        if constraint.get("type") == "not_null":
            columns.update(constraint.get("columns") or [])
    return columns


def _model(nodes: dict, model_id: str, node: dict) -> ModelMeta:
    facts = _column_tests(nodes, model_id)
    for name in _not_null_constraints(node):
        facts.setdefault(name, {})["not_null"] = True
    columns = {}
    for name, col in node["columns"].items():
        kpi = _KPI_ID.match(col.get("description") or "")
        columns[name] = ModelColumn(name, col.get("data_type"), kpi and kpi.group(1), **facts.get(name, {}))
    sources = [dep.split(".")[-1] for dep in node["depends_on"]["nodes"] if dep.startswith("source.")]
    return ModelMeta(node["name"], layer_of(node["fqn"]), sources[0] if len(sources) == 1 else None, columns)


def load_models(manifest: Path) -> dict[str, ModelMeta]:
    """Staging and mart models by name, from dbt's `manifest.json`."""
    nodes = json.loads(Path(manifest).read_text(encoding="utf-8"))["nodes"]
    return {
        node["name"]: _model(nodes, model_id, node)
        for model_id, node in sorted(nodes.items())
        if node["resource_type"] == "model" and len(node["fqn"]) > 2 and layer_of(node["fqn"]) in LAYERS
    }
