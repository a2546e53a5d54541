"""The KPI registry (kpis/registry.yml) against the dbt project and the product spec.

Runs in every checkout: every registry KPI is a column of its mart in the dbt manifest, described
with its id and German name, and asserted in the expected rows of a dbt unit test of that mart;
the files generated from the registry are up to date. Only the comparison with the product spec
needs KPI_SPEC.md from the shared folder beside the repository (`<repo>/../shared/KPI_SPEC.md`,
or CRM_KPI_SPEC): without it that one test is skipped locally and fails in CI.
"""
from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

import pytest

import kpis
from kpis.generate import stale
from kpis.registry import RegistryError, parse

SPEC = Path(os.environ.get("CRM_KPI_SPEC", Path(__file__).resolve().parents[2] / "shared" / "KPI_SPEC.md"))
PROJECT = "crm_success"
REGISTRY = kpis.load()


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
def models(manifest) -> dict[str, dict]:
    return {n["name"]: n for n in manifest["nodes"].values()
            if n["resource_type"] == "model" and n["package_name"] == PROJECT}


def expected_columns(unit_test: dict) -> set[str]:
    """The columns a unit test's expected rows assert (dict rows, or inline csv)."""
    rows = unit_test["expect"].get("rows") or []
    if isinstance(rows, str):
        rows = list(csv.DictReader(io.StringIO(rows.strip())))
    return {column for row in rows for column in row}


def test_generated_files_are_up_to_date():
    assert stale() == [], "generated from kpis/registry.yml but out of date: run `python -m kpis` and commit"


def test_registry_errors_name_file_line_field_and_value():
    text = kpis.registry.REGISTRY_FILE.read_text(encoding="utf-8").replace("    unit: eur\n", "    unit: euro\n", 1)
    line = text.splitlines().index("  - id: revenue_net") + 1
    with pytest.raises(RegistryError, match=rf"registry.yml:{line}: revenue_net: field unit = 'euro': use one of"):
        parse(text)


def test_a_change_is_measured_by_the_unit_and_only_rates_and_scores_have_denominators():
    by_id = REGISTRY.by_id()
    assert [by_id[k].change_kind for k in ("revenue_net", "orders", "cancellation_rate", "nps")] == \
        ["relative", "relative", "percentage_points", "points"]
    text = kpis.registry.REGISTRY_FILE.read_text(encoding="utf-8")
    line = text.splitlines().index("  - id: revenue_net") + 1
    with_denominator = text.replace("    column: revenue_net\n", "    column: revenue_net\n    denominator: orders\n", 1)
    with pytest.raises(RegistryError, match=rf"registry.yml:{line}: revenue_net: field denominator = 'orders': only KPIs"):
        parse(with_denominator)
    line = text.splitlines().index("  - id: nps") + 1
    numerator_alone = text.replace("    denominator: nps_answers\n", "    numerator: nps_promoters\n", 1)
    with pytest.raises(RegistryError, match=rf"registry.yml:{line}: nps: field numerator = 'nps_promoters': give the"):
        parse(numerator_alone)


def test_every_kpi_has_an_owning_area_its_own_or_its_family_s():
    by_id = REGISTRY.by_id()
    assert {a.id for a in REGISTRY.areas} == {"marketing", "sales", "service", "finance", "delivery"}
    assert [by_id[k].area for k in ("revenue_net", "cancellation_rate", "nps", "conversion_rate", "cost_by_category")] == \
        ["sales", "delivery", "service", "marketing", "finance"]
    text = kpis.registry.REGISTRY_FILE.read_text(encoding="utf-8")
    line = text.splitlines().index("  - id: cancellation_rate") + 1
    with pytest.raises(RegistryError, match=rf"registry.yml:{line}: cancellation_rate: field area = 'logistics': use one of"):
        parse(text.replace("    area: delivery\n", "    area: logistics\n", 1))


def test_only_amounts_and_counts_are_additive_and_split_analysis_kpis_must_be():
    """A year to date sums an additive KPI's months (analysis_target_outlook): a rate or an average
    is not summed, and the analysis sums a mart dimension's rows to the total."""
    by_id = REGISTRY.by_id()
    assert [by_id[k].additive for k in ("revenue_net", "orders", "new_customers", "avg_order_value", "churn_rate")] == \
        [True, True, True, False, False]
    text = kpis.registry.REGISTRY_FILE.read_text(encoding="utf-8")
    line = text.splitlines().index("  - id: churn_rate") + 1
    additive_rate = text.replace("    column: churn_rate\n", "    column: churn_rate\n    additive: true\n", 1)
    with pytest.raises(RegistryError, match=rf"registry.yml:{line}: churn_rate: field additive = True: only amounts"):
        parse(additive_rate)
    line = text.splitlines().index("  - id: cost_by_category") + 1
    start = text.index("  - id: cost_by_category")
    end = text.index("  - id:", start + 1)
    not_additive = text[:start] + text[start:end].replace("    additive: true\n", "") + text[end:]
    with pytest.raises(RegistryError, match=rf"registry.yml:{line}: cost_by_category: field mart_dimension = 'cost_category'"):
        parse(not_additive)


def test_every_kpi_is_a_column_of_its_mart(models):
    missing = [f"{k.id}: {k.mart}.{column}" for k in REGISTRY.kpis
               for column in (k.column, k.mart_dimension, k.numerator, k.denominator)
               if column and column not in models.get(k.mart, {}).get("columns", {})]
    missing += [f"{p.column}: {mart}" for p in REGISTRY.period_columns for mart in ("kpi_periods", p.monthly)
                if p.column not in models[mart]["columns"]]
    assert missing == [], f"registry KPIs without their mart column (mart.column): {missing}"


def test_every_kpi_column_description_names_the_kpi_and_its_german_name(models):
    def described(kpi) -> str:
        return models.get(kpi.mart, {}).get("columns", {}).get(kpi.column, {}).get("description") or ""

    undocumented = [k.id for k in REGISTRY.kpis if not (k.id in described(k) and k.name_de in described(k))]
    assert undocumented == [], f"no description of the KPI's column names both its id and German name: {undocumented}"


def test_every_kpi_column_is_asserted_by_a_unit_test_of_its_mart(manifest):
    asserted = {(u["model"], column) for u in manifest["unit_tests"].values() if u["package_name"] == PROJECT
                for column in expected_columns(u)}
    untested = [f"{k.id}: {k.mart}.{k.column}" for k in REGISTRY.kpis if (k.mart, k.column) not in asserted]
    assert untested == [], f"KPI columns no unit test of their mart asserts in its expected rows: {untested}"


def test_registry_implements_every_kpi_of_the_spec():
    if not SPEC.exists():
        message = f"{SPEC} not found (the shared folder lies beside the repository)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    catalog = parse_kpi_catalog(SPEC.read_text(encoding="utf-8"))
    assert len(catalog) >= 50, f"only {len(catalog)} KPI ids parsed from {SPEC}"
    registry = REGISTRY.by_id()
    assert sorted(set(catalog) - set(registry)) == [], "KPI ids of the spec missing from kpis/registry.yml"
    renamed = {i: (name, registry[i].name_de) for i, name in catalog.items() if registry[i].name_de != name}
    assert renamed == {}, "German names differ from the spec (spec, registry)"
