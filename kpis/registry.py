"""Load and validate `kpis/registry.yml`, the one place a KPI is defined.

A YAML file rather than a dbt seed: a KPI has lists (grains, dimensions) and prose (definition,
maturity note) that a CSV holds badly, and Python readers (report, summary, checks) should not
need a built warehouse to know a KPI's name or unit. dbt cannot read YAML at compile time, so
`kpis.generate` writes what dbt needs (a macro, the seed kpi_directions, the catalog doc block)
and a test fails while those are stale. Every mistake is reported with the file, line and field.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

REGISTRY_FILE = Path(__file__).with_name("registry.yml")
UNITS = ("eur", "count", "rate", "ratio", "hours", "days", "score", "rank")
KINDS = ("value", "change", "breakdown")
DIRECTIONS = ("higher", "lower")
GRAINS = ("day", "week", "month", "quarter", "year")
_ID = re.compile(r"[a-z][a-z0-9_]*")
_REQUIRED = ("id", "name_de", "name_en", "family", "definition", "unit", "better", "kind", "mart", "column",
             "grains", "dimensions", "maturity_lag_days")
_OPTIONAL = ("area", "mart_dimension", "maturity_note", "range", "signed", "analysis", "numerator", "denominator", "additive")
# How a change of a KPI is measured, by unit: shares in percentage points, scores in points, and
# amounts, counts and averages relative to the prior value (a score can be 0 or negative).
CHANGE_KINDS = {"rate": "percentage_points", "score": "points"}


class RegistryError(ValueError):
    """A registry entry that cannot be used; the message names file, line, field and value."""


@dataclass(frozen=True)
class Kpi:
    id: str
    name_de: str
    name_en: str
    family: str
    definition: str
    unit: str
    better: str
    kind: str
    mart: str
    column: str
    grains: tuple[str, ...]
    dimensions: tuple[str, ...]
    maturity_lag_days: int
    maturity_note: str | None = None
    mart_dimension: str | None = None
    range: tuple[float, float] | None = None
    signed: bool = False
    analysis: bool = False
    numerator: str | None = None
    denominator: str | None = None
    area: str | None = None  # the owning area: its own, else its family's (filled in by parse)
    additive: bool = False

    def name(self, language: str) -> str:
        return self.name_de if language == "de" else self.name_en

    @property
    def change_kind(self) -> str:
        """relative, percentage_points or points: how the analysis measures and the report shows a change."""
        return CHANGE_KINDS.get(self.unit, "relative")

    @property
    def bounds(self) -> tuple[float | None, float | None]:
        """The values its column may take: the spec's scale, any for differences, [0, 1] for rates."""
        if self.range:
            return self.range
        if self.signed:
            return (None, None)
        return (0.0, 1.0) if self.unit == "rate" else (0.0, None)


@dataclass(frozen=True)
class Area:
    """An area of the business that owns recommendations (marketing, sales, service, finance, delivery)."""
    id: str
    name_de: str
    name_en: str

    def name(self, language: str) -> str:
        return self.name_de if language == "de" else self.name_en


@dataclass(frozen=True)
class Family:
    id: str
    name_de: str
    name_en: str
    area: str

    def name(self, language: str) -> str:
        return self.name_de if language == "de" else self.name_en


@dataclass(frozen=True)
class PeriodColumn:
    """A column of kpi_periods: a registry KPI (or a plain measure such as tickets_created)."""
    column: str
    name_de: str
    unit: str
    monthly: str
    kpi: str | None = None


@dataclass(frozen=True)
class Registry:
    kpis: tuple[Kpi, ...]
    families: tuple[Family, ...]
    dimensions: dict[str, str] = field(default_factory=dict)
    period_columns: tuple[PeriodColumn, ...] = ()
    areas: tuple[Area, ...] = ()

    def by_id(self) -> dict[str, Kpi]:
        return {k.id: k for k in self.kpis}

    def area(self, area_id: str) -> Area:
        return next(a for a in self.areas if a.id == area_id)


class _LineLoader(yaml.SafeLoader):
    """Keeps the line of every mapping (as `__line__`) so errors can point at the entry."""


def _mapping_with_line(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)


def _fail(path: Path, entry: dict, name: str, value, what: str) -> RegistryError:
    return RegistryError(f"{path}:{entry.get('__line__', '?')}: {entry.get('id') or entry.get('column')}: "
                         f"field {name} = {value!r}: {what}")


def _check_choice(path: Path, entry: dict, name: str, allowed) -> None:
    if entry[name] not in allowed:
        raise _fail(path, entry, name, entry[name], f"use one of {sorted(allowed)}")


def _kpi(path: Path, entry: dict, families: dict[str, Family], dimensions: set[str], areas: set[str]) -> Kpi:
    missing = [f for f in _REQUIRED if f not in entry]
    if missing:
        raise _fail(path, entry, missing[0], None, f"add it (every KPI needs {', '.join(_REQUIRED)})")
    unknown = set(entry) - set(_REQUIRED) - set(_OPTIONAL) - {"__line__"}
    if unknown:
        name = sorted(unknown)[0]
        raise _fail(path, entry, name, entry[name], f"unknown field; the fields are {_REQUIRED + _OPTIONAL}")
    if not isinstance(entry["id"], str) or not _ID.fullmatch(entry["id"]):
        raise _fail(path, entry, "id", entry["id"], "use lower_snake_case, as in KPI_SPEC.md")
    _check_choice(path, entry, "unit", UNITS)
    _check_choice(path, entry, "better", DIRECTIONS)
    _check_choice(path, entry, "kind", KINDS)
    _check_choice(path, entry, "family", families)
    if "area" in entry:
        _check_choice(path, entry, "area", areas)
    for name, allowed in (("grains", GRAINS), ("dimensions", dimensions)):
        if not isinstance(entry[name], list) or not set(entry[name]) <= set(allowed):
            raise _fail(path, entry, name, entry[name], f"give a list of {sorted(allowed)} (dimensions: add new ones "
                                                        "to the dimensions section with their source column)")
    lag = entry["maturity_lag_days"]
    if not isinstance(lag, int) or lag < 0 or bool(lag) != bool(entry.get("maturity_note")):
        raise _fail(path, entry, "maturity_lag_days", lag, "give whole days >= 0, and a maturity_note exactly when > 0")
    if entry.get("analysis") and (entry["kind"] != "value" or "month" not in entry["grains"]):
        raise _fail(path, entry, "analysis", True, "only KPIs of kind value with a month grain feed the analysis")
    for name in ("numerator", "denominator"):
        if entry.get(name) and entry["unit"] not in CHANGE_KINDS:
            raise _fail(path, entry, name, entry[name], f"only KPIs of unit {sorted(CHANGE_KINDS)} are tested for "
                                                        "significance; remove it")
    if entry.get("additive") and (entry.get("denominator") or entry["unit"] not in ("eur", "count")):
        raise _fail(path, entry, "additive", True, "only amounts and counts without a denominator sum over months")
    if entry.get("analysis") and entry.get("mart_dimension") and not entry.get("additive"):
        raise _fail(path, entry, "mart_dimension", entry["mart_dimension"], "the analysis sums its rows to the "
                                                                            "total: mark the KPI additive: true")
    if entry.get("numerator") and not entry.get("denominator"):
        raise _fail(path, entry, "numerator", entry["numerator"], "give the denominator column as well")
    bounds = entry.get("range")
    if bounds is not None and (not isinstance(bounds, list) or len(bounds) != 2):
        raise _fail(path, entry, "range", bounds, "give [min, max]")
    values = {k: v for k, v in entry.items() if k != "__line__"}
    values.update(area=entry.get("area") or families[entry["family"]].area, grains=tuple(entry["grains"]), dimensions=tuple(entry["dimensions"]),
                  range=tuple(float(b) for b in bounds) if bounds else None)
    return Kpi(**values)


def _period_column(path: Path, entry: dict, kpis: dict[str, Kpi]) -> PeriodColumn:
    kpi = kpis.get(entry.get("kpi"))
    if entry.get("kpi") and kpi is None:
        raise _fail(path, entry, "kpi", entry["kpi"], "name a KPI id of this registry")
    if kpi and not set(GRAINS) <= set(kpi.grains):
        raise _fail(path, entry, "kpi", kpi.id, f"kpi_periods has every grain: list {list(GRAINS)} in the KPI's grains")
    name_de = entry.get("name_de") or (kpi and kpi.name_de)
    monthly = entry.get("monthly") or (kpi and kpi.mart)
    if not (name_de and monthly and entry.get("unit") and entry.get("column")):
        raise _fail(path, entry, "column", entry.get("column"), "give column and unit, and name_de and monthly "
                                                                 "unless a kpi supplies them")
    return PeriodColumn(entry["column"], name_de, entry["unit"], monthly, kpi and kpi.id)


def parse(text: str, path: Path = REGISTRY_FILE) -> Registry:
    document = yaml.load(text, Loader=_LineLoader)
    areas = tuple(Area(a["id"], a["name_de"], a["name_en"]) for a in document["areas"])
    families = tuple(Family(f["id"], f["name_de"], f["name_en"], f["area"]) for f in document["families"])
    for family in document["families"]:
        _check_choice(path, family, "area", {a.id for a in areas})
    dimensions = {k: v for k, v in document["dimensions"].items() if k != "__line__"}
    kpis: dict[str, Kpi] = {}
    for entry in document["kpis"]:
        kpi = _kpi(path, entry, {f.id: f for f in families}, set(dimensions), {a.id for a in areas})
        if kpi.id in kpis:
            raise _fail(path, entry, "id", kpi.id, "each KPI id appears once; merge the entries")
        kpis[kpi.id] = kpi
    periods = tuple(_period_column(path, e, kpis) for e in document.get("period_columns") or [])
    return Registry(tuple(kpis.values()), families, dimensions, periods, areas)


@cache
def load(path: Path = REGISTRY_FILE) -> Registry:
    return parse(path.read_text(encoding="utf-8"), path)
