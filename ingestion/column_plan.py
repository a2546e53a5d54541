"""Where each contract column of a delivery comes from: a header column (renamed by a vendor
mapping or not, or a fallback column), a translated vendor value, a constant, a derived key, a
signed amount, an expense account's category, the file's modification time; and which rows are
no records of the entity at all (skipped).

The plan decides which header position feeds which column; `value_sql` and `account_chart`
write the SQL, in which every name or value from a file or a mapping is a quoted literal or a
positional column `c<i>`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from ingestion import account_chart
from ingestion.account_chart import AccountRules
from ingestion.contract import Column, Contract
from ingestion.mapping import FILE_MODIFIED, VendorMapping
from ingestion.parsing import quote_literal
from ingestion.value_sql import derived_key_text, sign_factor, text_of, value_text


@dataclass(frozen=True)
class ColumnSource:
    column: Column
    text_sql: str | None  # trimmed text, NULL when empty; None when the delivery lacks the column
    label: str  # the column name as the delivery calls it, for quarantine reasons
    sign_sql: str | None = None  # -1/1 factor from a debit/credit flag
    literal_sql: str | None = None  # one typed value for every row (a fallback: the file's modification time)


@dataclass(frozen=True)
class ColumnPlan:
    sources: list[ColumnSource]
    extra_columns: list[str]  # delivered columns nothing uses: kept in _extra
    missing_required: list[str]
    version_key: tuple[str, ...] = ()  # primary key + version column: unique within one delivery
    skip_sql: str | None = None  # why a row is neither loaded nor quarantined (no cost booking), else NULL
    fallbacks_used: dict[str, str] = field(default_factory=dict)  # contract column -> fallback source


def _origins(contract: Contract, header: list[str], mapping: VendorMapping | None) -> dict[str, str]:
    """Contract column -> the header column it comes from: the mapping's first present name,
    the column's own name, or a fallback column; a constant implied by a chosen column wins."""
    found = {}
    for name in contract.column_names:
        origin = mapping.source_of(name, header) if mapping else None
        origin = origin or (name if name in header and not (mapping and name in mapping.columns) else None)
        origin = origin or next((f for f in (mapping.fallbacks.get(name, ()) if mapping else ()) if f in header), None)
        if origin is not None:
            found[name] = origin
    implied = {c for origin in found.values() for c in (mapping.implies.get(origin, {}) if mapping else {})}
    return {name: origin for name, origin in found.items() if name not in implied}


def _constants(mapping: VendorMapping | None, origins: dict[str, str]) -> dict[str, str]:
    if mapping is None:
        return {}
    implied = {c: v for origin in origins.values() for c, v in mapping.implies.get(origin, {}).items()}
    return mapping.constants | implied


def _account_kinds(rules: AccountRules, position: dict[str, int]) -> tuple[str, str]:
    """The kind of the booking's account and of its contra account (NULL when not delivered)."""
    account, contra = (
        account_chart.kind_sql(rules, text_of(position[c])) if c in position else "CAST(NULL AS VARCHAR)" for c in rules.columns
    )
    return account, contra


def modified_at(path: Path) -> datetime:
    """The file's modification time in UTC: the fallback `file_modified`. A rerun never reads it
    again for the same content (the file is skipped by its fingerprint), so loaded rows keep it."""
    return datetime.fromtimestamp(path.stat().st_mtime, tz=timezone.utc).replace(tzinfo=None, microsecond=0)


def plan_columns(contract: Contract, header: list[str], mapping: VendorMapping | None,
                 file_modified: datetime | None = None) -> ColumnPlan:
    position = {name: i for i, name in enumerate(header)}
    origins = _origins(contract, header, mapping)
    constants = _constants(mapping, origins)
    rules = mapping.accounts if mapping and mapping.accounts and mapping.accounts.chart else None
    kinds = _account_kinds(rules, position) if rules else None
    # A column taken on some rows only (`only_when`) stays in _extra too: the other rows' values.
    used = {origin for name, origin in origins.items() if not (mapping and name in mapping.only_when)}
    texts: dict[str, str | None] = {}
    signs: dict[str, str | None] = {}
    literals: dict[str, str] = {}
    for column in contract.columns:
        name, text = column.name, None
        if name in origins:
            text = value_text(column, position[origins[name]], mapping)
        elif rules and name == rules.category_column:
            text = account_chart.category_sql(*kinds)
        elif name in constants:
            text = quote_literal(constants[name])
        elif mapping and name in mapping.derived_keys and all(c in position for c in mapping.derived_keys[name].columns):
            used.update(mapping.derived_keys[name].columns)
            text = derived_key_text(mapping.derived_keys[name], position)
        elif mapping and FILE_MODIFIED in mapping.fallbacks.get(name, ()) and file_modified is not None:
            literals[name] = f"CAST({quote_literal(file_modified.isoformat(sep=' '))} AS {column.sql_type})"
        texts[name] = text
        signs[name] = sign_factor(mapping, name, position)
        if signs[name] and mapping:
            used.add(mapping.signs[name].flag_column)
        if rules and name == rules.amount_column:
            signs[name] = f"({signs[name] or 1} * {account_chart.side_sql(kinds[0])})"
    for name, condition in (mapping.only_when.items() if mapping else ()):
        if texts.get(name) is not None:
            tests = " AND ".join(f"{texts[c]} IN ({', '.join(quote_literal(v) for v in values)})" for c, values in condition.items())
            texts[name] = f"CASE WHEN {tests} THEN {texts[name]} END"
    label = {name: origins.get(name) or (rules.account if rules and name == rules.category_column else name) for name in texts}
    sources = [ColumnSource(c, texts[c.name], label[c.name], signs[c.name], literals.get(c.name)) for c in contract.columns]
    missing = [s.column.name for s in sources if s.column.required and s.text_sql is None and s.literal_sql is None]
    extra = [h for h in header if h not in used and h not in contract.column_names]
    version_key = tuple(dict.fromkeys((*contract.primary_key, contract.version_column)))
    skip = account_chart.skip_sql(*kinds) if rules else None
    fallen_back = {n: origins[n] for n in origins if mapping and n in mapping.fallbacks and origins[n] in mapping.fallbacks[n]}
    fallen_back |= {n: FILE_MODIFIED for n in literals}
    return ColumnPlan(sources, extra, missing, version_key, skip, fallen_back)
