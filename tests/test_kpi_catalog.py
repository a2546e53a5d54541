"""Every KPI id of the product spec is a mart column and is checked by a dbt unit test.

The KPI catalog is parsed from KPI_SPEC.md in the project's shared folder beside the repository
(`<repo>/../shared/KPI_SPEC.md`, or CRM_KPI_SPEC); without it the test is skipped locally and
fails in CI, where the shared folder is always there. The dbt
manifest comes from `dbt parse` into a temporary target path (no database connection).
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from expectations.dbt_models import layer_of
from tests.test_dbt_project import invoke_dbt, models, PROJECT

SPEC = Path(os.environ.get("CRM_KPI_SPEC", Path(__file__).resolve().parents[2] / "shared" / "KPI_SPEC.md"))


def parse_kpi_catalog(text: str) -> dict[str, str]:
    """KPI id -> German name, from the tables of the '## KPI catalog' section."""
    section = text.split("## KPI catalog", 1)[1].split("\n## ", 1)[0]
    catalog: dict[str, str] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 3 or cells[0] in ("id", "") or set(cells[0]) <= {"-", " "}:
            continue
        ids = [i.strip() for i in cells[0].split("/")]
        names = [n.strip() for n in cells[1].split("/")]
        for position, kpi_id in enumerate(ids):
            if re.fullmatch(r"[a-z][a-z0-9_]*", kpi_id):
                catalog[kpi_id] = names[min(position, len(names) - 1)]
    return catalog


@pytest.fixture(scope="module")
def catalog() -> dict[str, str]:
    if not SPEC.exists():
        message = f"{SPEC} not found (the shared folder lies beside the repository)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    parsed = parse_kpi_catalog(SPEC.read_text(encoding="utf-8"))
    assert len(parsed) >= 50, f"only {len(parsed)} KPI ids parsed from {SPEC}"
    return parsed


@pytest.fixture(scope="module")
def manifest(tmp_path_factory) -> dict:
    import json

    target = tmp_path_factory.mktemp("dbt_target_kpi")
    invoke_dbt(["parse", "--no-partial-parse"], target, target / "never_opened.duckdb")
    return json.loads((target / "manifest.json").read_text(encoding="utf-8"))


def marts(manifest: dict) -> dict[str, dict]:
    return {name: m for name, m in models(manifest).items() if layer_of(m["fqn"]) == "marts"}


def test_parser_reads_ids_of_every_catalog_table(catalog):
    for kpi_id in ("revenue_net", "cash_inflow", "cash_outflow", "nps", "owner_performance", "social_attributed_revenue"):
        assert kpi_id in catalog
    assert catalog["cash_outflow"] == "Auszahlungen"


def test_every_kpi_id_is_a_mart_column(catalog, manifest):
    """A column named after the id or starting with it (win_rate_value, acquisition_days_median, ...).
    KPIs that are a whole table rather than a number (segment_kpis, owner_performance) may instead
    name the mart (segment_kpis, kpi_owner_performance)."""
    columns = {c for m in marts(manifest).values() for c in m["columns"]}
    names = set(marts(manifest))
    missing = [
        kpi_id for kpi_id in catalog
        if not any(c == kpi_id or c.startswith(kpi_id + "_") for c in columns)
        and not any(n == kpi_id or n.endswith("_" + kpi_id) for n in names)
    ]
    assert missing == [], f"KPI ids without a mart column: {missing}"


def test_every_kpi_column_description_names_the_kpi_and_its_german_name(catalog, manifest):
    undocumented = []
    for kpi_id, german in catalog.items():
        described = [
            col["description"] for m in marts(manifest).values() for name, col in m["columns"].items()
            if name == kpi_id or name.startswith(kpi_id + "_")
        ]
        if described and not any(kpi_id in d and german in d for d in described):
            undocumented.append(kpi_id)
    assert undocumented == [], f"no column description names both id and German name: {undocumented}"


def test_every_kpi_id_is_named_by_a_unit_test(catalog, manifest):
    texts = [
        f"{u['name']} {u.get('description') or ''}"
        for u in manifest["unit_tests"].values() if u["package_name"] == PROJECT
    ]
    untested = [
        kpi_id for kpi_id in catalog
        if not any(re.search(rf"(?<![a-z_]){re.escape(kpi_id)}(?![a-z])", t) for t in texts)
    ]
    assert untested == [], f"KPI ids no unit test names: {untested}"
