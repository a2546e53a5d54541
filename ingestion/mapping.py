"""Vendor export layouts (HubSpot, Salesforce, savings-bank CAMT-CSV, DATEV, Meta, LinkedIn, ...)
described as data, so that supporting another tool is a YAML file in `ingestion/mappings/`.

A mapping applies to a delivery of its entity when the file's header holds all of its `match`
columns. It renames vendor columns to contract columns, translates vendor values, fills
constants, derives signed amounts from debit/credit flags, derives keys the vendor lacks, and
overrides the detected parse options. It can also give a fallback for a column the export
lacks (`fallbacks`, e.g. the file's modification time), take a column only on some rows
(`only_when`), let a chosen vendor column fix another column (`implies`), map unknown values by
their words (`unknown_values`) and classify double-entry bookings by account (`accounts`, see
`ingestion.account_chart`). Mappings never carry SQL: every value they hold reaches
DuckDB as a quoted literal.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from ingestion.account_chart import AccountRules, parse_rules

MAPPINGS_DIR = Path(__file__).parent / "mappings"
FILE_MODIFIED = "file_modified"  # fallback source: the file's modification time
PARSE_OVERRIDES = ("delimiter", "decimal", "thousands", "date_formats", "timestamp_formats", "source_timezone")


@dataclass(frozen=True)
class SignRule:
    flag_column: str  # vendor column holding the debit/credit flag
    negative: tuple[str, ...]  # flag values that make the amount negative


@dataclass(frozen=True)
class DerivedKey:
    """A key the vendor lacks: its columns joined (`concat`) or hashed (`md5`, the default)."""

    columns: tuple[str, ...]
    how: str = "md5"
    separator: str = "|"


@dataclass(frozen=True)
class PreambleYear:
    """Date columns written as `DDMM` (DATEV's Belegdatum) take their year from a preamble field.

    The field holds the fiscal year start as `yyyymmdd`; a `DDMM` before the start's month and
    day belongs to the following calendar year, so fiscal years that do not start in January
    still get the right year (a batch never spans more than one fiscal year).
    """

    field: int  # 1-based position in the first preamble line


@dataclass(frozen=True)
class ValueRule:
    """An unknown value holding one of `words` (as a word, any case) becomes `value`; a rule
    without words takes every value left."""

    value: str
    words: tuple[str, ...] = ()


def _value_rules(spec: list) -> tuple[ValueRule, ...]:
    return tuple(ValueRule(str(rule["value"]), tuple(str(w) for w in rule.get("words", ()))) for rule in spec)


def _derived_key(spec) -> DerivedKey:
    if isinstance(spec, dict):
        how = "concat" if "concat" in spec else "md5"
        return DerivedKey(_as_tuple(spec[how]), how, str(spec.get("separator", "|")))
    return DerivedKey(_as_tuple(spec))


@dataclass(frozen=True)
class VendorMapping:
    name: str
    vendor: str
    entity: str
    match: tuple[tuple[str, ...], ...]  # every group needs one of its names in the header
    columns: dict[str, tuple[str, ...]]  # contract column -> vendor header names, first present wins
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    signs: dict[str, SignRule] = field(default_factory=dict)
    derived_keys: dict[str, "DerivedKey"] = field(default_factory=dict)
    skip_lines: int = 0  # lines before the header (DATEV's EXTF line)
    year_from_preamble: PreambleYear | None = None
    fiscal_year_start: str | None = None  # `yyyymmdd` from the preamble, set per delivery by the reader
    fields: dict[str, object] = field(default_factory=dict)  # JSON deliveries: name -> path or {param: key}
    parse: dict = field(default_factory=dict)
    fallbacks: dict[str, tuple[str, ...]] = field(default_factory=dict)  # column -> header names or FILE_MODIFIED
    only_when: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)  # column -> {column: values}
    implies: dict[str, dict[str, str]] = field(default_factory=dict)  # used vendor column -> {column: constant}
    unknown_values: dict[str, tuple[ValueRule, ...]] = field(default_factory=dict)
    accounts: AccountRules | None = None
    sheet: str | None = None  # Excel deliveries: the sheet to read when the workbook has it (else the first)

    def applies_to(self, header: list[str]) -> bool:
        return all(any(name in header for name in group) for group in self.match)

    def source_of(self, column: str, header: list[str]) -> str | None:
        return next((alias for alias in self.columns.get(column, ()) if alias in header), None)

    def accepted_headers(self, column: str) -> tuple[str, ...]:
        """Every header name that can give `column`, for a message asking to add one."""
        return tuple(dict.fromkeys((*self.columns.get(column, ()), *(f for f in self.fallbacks.get(column, ()) if f != FILE_MODIFIED))))


def _as_tuple(value) -> tuple[str, ...]:
    return tuple(value) if isinstance(value, list) else (value,)


def _parse(path: Path) -> VendorMapping:
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    unknown = set(spec.get("parse", {})) - set(PARSE_OVERRIDES)
    if unknown:
        raise ValueError(f"{path}: unknown parse options {sorted(unknown)}")
    if "year_from_preamble" in spec and not spec.get("skip_lines"):
        raise ValueError(f"{path}: year_from_preamble needs a preamble (skip_lines > 0)")
    return VendorMapping(
        name=path.stem,
        vendor=spec["vendor"],
        entity=spec["entity"],
        match=tuple(_as_tuple(group) for group in spec["match"]),
        columns={k: _as_tuple(v) for k, v in spec.get("columns", {}).items()},
        values={k: {str(a): str(b) for a, b in v.items()} for k, v in spec.get("values", {}).items()},
        constants={k: str(v) for k, v in spec.get("constants", {}).items()},
        signs={k: SignRule(v["flag"], _as_tuple(v["negative"])) for k, v in spec.get("signs", {}).items()},
        derived_keys={k: _derived_key(v) for k, v in spec.get("derived_keys", {}).items()},
        skip_lines=int(spec.get("skip_lines", 0)),
        year_from_preamble=PreambleYear(int(spec["year_from_preamble"]["field"])) if "year_from_preamble" in spec else None,
        fields=dict(spec.get("fields", {})),
        parse={k: tuple(v) if isinstance(v, list) else v for k, v in spec.get("parse", {}).items()},
        fallbacks={k: _as_tuple(v) for k, v in spec.get("fallbacks", {}).items()},
        only_when={k: {c: tuple(str(x) for x in _as_tuple(v)) for c, v in cond.items()} for k, cond in spec.get("only_when", {}).items()},
        implies={k: {c: str(v) for c, v in fixed.items()} for k, fixed in spec.get("implies", {}).items()},
        unknown_values={k: _value_rules(v) for k, v in spec.get("unknown_values", {}).items()},
        accounts=parse_rules(spec["accounts"]) if "accounts" in spec else None,
        sheet=str(spec["sheet"]) if "sheet" in spec else None,
    )


@lru_cache(maxsize=1)
def load_mappings() -> tuple[VendorMapping, ...]:
    return tuple(_parse(p) for p in sorted(MAPPINGS_DIR.glob("*.yaml")))


def find_mapping(entity: str, header: list[str], json: bool = False) -> VendorMapping | None:
    """The mapping with the most specific match for this header (or JSON keys), if any."""
    candidates = [m for m in load_mappings() if m.entity == entity and bool(m.fields) == json and m.applies_to(header)]
    return max(candidates, key=lambda m: len(m.match), default=None)
