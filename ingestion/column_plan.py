"""Where each contract column of a delivery comes from: a header column (renamed by a vendor
mapping or not), a translated vendor value, a constant, a derived key, a signed amount.

The plan is the only place that turns header positions into SQL; every name or value from a
file or a mapping enters the SQL as a quoted literal or as a positional column `c<i>`.
"""
from __future__ import annotations

from dataclasses import dataclass

from ingestion.contract import Column, Contract
from ingestion.mapping import VendorMapping
from ingestion.parsing import quote_literal


@dataclass(frozen=True)
class ColumnSource:
    column: Column
    text_sql: str | None  # trimmed text, NULL when empty; None when the delivery lacks the column
    label: str  # the column name as the delivery calls it, for quarantine reasons
    sign_sql: str | None = None  # -1/1 factor from a debit/credit flag


@dataclass(frozen=True)
class ColumnPlan:
    sources: list[ColumnSource]
    extra_columns: list[str]  # delivered columns nothing uses: kept in _extra
    missing_required: list[str]
    version_key: tuple[str, ...] = ()  # primary key + version column: unique within one delivery


def text_of(index: int) -> str:
    """Trimmed text, NULL when empty. trim() copies every value, so it runs only on values with
    a leading or trailing space (the only character it removes)."""
    c = f"c{index}"
    return f"CASE WHEN prefix({c}, ' ') OR suffix({c}, ' ') THEN NULLIF(trim({c}), '') ELSE NULLIF({c}, '') END"


def _translated(text: str, translations: dict[str, str]) -> str:
    if not translations:
        return text
    whens = " ".join(f"WHEN {quote_literal(a)} THEN {quote_literal(b)}" for a, b in translations.items())
    return f"CASE {text} {whens} ELSE {text} END"


def _with_preamble_year(text: str, fiscal_year_start: str) -> str:
    """`DDMM` (leading zero optional) -> `DDMMYYYY`, the year taken from the fiscal year start;
    other text is left alone, so it fails to parse and quarantines its row."""
    year, start = int(fiscal_year_start[:4]), fiscal_year_start[4:8]
    ddmm = f"lpad({text}, 4, '0')"
    year_sql = (f"CASE WHEN substr({ddmm}, 3, 2) || substr({ddmm}, 1, 2) < {quote_literal(start)} "
                f"THEN {quote_literal(str(year + 1))} ELSE {quote_literal(str(year))} END")
    return f"CASE WHEN regexp_full_match({text}, '\\d{{3,4}}') THEN {ddmm} || {year_sql} ELSE {text} END"


def plan_columns(contract: Contract, header: list[str], mapping: VendorMapping | None) -> ColumnPlan:
    position = {name: i for i, name in enumerate(header)}
    used: set[str] = set()
    sources, missing = [], []
    for column in contract.columns:
        name = column.name
        origin = mapping.source_of(name, header) if mapping else None
        origin = origin or (name if name in position and not (mapping and name in mapping.columns) else None)
        text, sign = None, None
        if origin is not None:
            used.add(origin)
            text = _translated(text_of(position[origin]), mapping.values.get(name, {}) if mapping else {})
            if column.type == "date" and mapping and mapping.year_from_preamble and mapping.fiscal_year_start:
                text = _with_preamble_year(text, mapping.fiscal_year_start)
        elif mapping and name in mapping.constants:
            text = quote_literal(mapping.constants[name])
        elif mapping and name in mapping.derived_keys and all(c in position for c in mapping.derived_keys[name].columns):
            key = mapping.derived_keys[name]
            used.update(key.columns)
            joined = f"concat_ws({quote_literal(key.separator)}, " + ", ".join(f"coalesce(trim(c{position[c]}), '')" for c in key.columns) + ")"
            text = f"md5({joined})" if key.how == "md5" else joined
        if mapping and name in mapping.signs and mapping.signs[name].flag_column in position:
            rule = mapping.signs[name]
            used.add(rule.flag_column)
            negatives = ", ".join(quote_literal(v) for v in rule.negative)
            sign = f"(CASE WHEN trim(c{position[rule.flag_column]}) IN ({negatives}) THEN -1 ELSE 1 END)"
        if text is None and column.required:
            missing.append(name)
        sources.append(ColumnSource(column, text, origin or name, sign))
    extra = [h for h in header if h not in used and h not in contract.column_names]
    version_key = tuple(dict.fromkeys((*contract.primary_key, contract.version_column)))
    return ColumnPlan(sources, extra, missing, version_key)
