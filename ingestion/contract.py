"""Entity contracts: what a delivery must contain and the typed `raw` table it loads into.

The YAML files in `ingestion/contracts/` are the single source of truth. The loader, the
Great Expectations suites and the sample generator read them from here; dbt cannot, so
`python -m ingestion.dbt_files` writes the dbt sources and the staging value sets from them
(`tests/test_dbt_files.py` fails while those files are stale).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

CONTRACTS_DIR = Path(__file__).parent / "contracts"

SQL_TYPES = {
    "varchar": "VARCHAR",
    "integer": "BIGINT",
    "decimal": "DECIMAL(18,6)",
    "date": "DATE",
    "timestamp": "TIMESTAMP",
}

# Lineage columns every raw table carries, in this order, after the contract's columns.
METADATA_COLUMNS = {
    "_extra": "VARCHAR",  # JSON object of columns the contract does not know (schema drift)
    "_file": "VARCHAR",
    "_line": "BIGINT",
    "_file_sha256": "VARCHAR",
    "_loaded_at": "TIMESTAMP",
}

DELIVERIES = ("delta", "snapshot")


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    required: bool = False
    allowed: tuple[str, ...] | None = None
    pii: bool = False
    description: str = ""  # for the dbt docs; `{allowed}` stands for the allowed values

    @property
    def sql_type(self) -> str:
        return SQL_TYPES[self.type]


@dataclass(frozen=True)
class Contract:
    entity: str
    source: str
    description: str
    primary_key: tuple[str, ...]
    version_column: str
    columns: tuple[Column, ...] = field(default_factory=tuple)
    # The date or timestamp column whose (local) day is the day a row belongs to in the
    # daily-partitioned models: a late row for an old day makes the run rebuild that day.
    business_date: str | None = None
    # How the source exports: `delta` (each file adds or updates records; a record missing from a
    # file is unchanged) or `snapshot` (each file is the full export; a record missing from the
    # latest file was deleted at the source and leaves staging). Mirrored in dbt var snapshot_entities.
    delivery: str = "delta"

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def table(self) -> str:
        return f"raw.{self.entity}"

    def create_table_sql(self) -> str:
        cols = [f'"{c.name}" {c.sql_type}' for c in self.columns]
        cols += [f"{name} {sql_type}" for name, sql_type in METADATA_COLUMNS.items()]
        return f"CREATE TABLE IF NOT EXISTS {self.table} (\n  " + ",\n  ".join(cols) + "\n)"


def _parse(path: Path) -> Contract:
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    if spec["entity"] != path.stem:
        raise ValueError(f"{path}: entity {spec['entity']!r} must match the file name")
    columns = []
    for name, attrs in spec["columns"].items():
        attrs = attrs or {}
        if attrs.get("type") not in SQL_TYPES:
            raise ValueError(f"{path}: column {name!r} has unknown type {attrs.get('type')!r}")
        allowed = attrs.get("allowed")
        columns.append(
            Column(
                name=name,
                type=attrs["type"],
                required=bool(attrs.get("required", False)),
                allowed=tuple(str(v) for v in allowed) if allowed else None,
                pii=bool(attrs.get("pii", False)),
                description=attrs.get("description", ""),
            )
        )
    contract = Contract(
        entity=spec["entity"],
        source=spec["source"],
        description=spec["description"],
        primary_key=tuple(spec["primary_key"]),
        version_column=spec["version_column"],
        columns=tuple(columns),
        business_date=spec.get("business_date"),
        delivery=spec.get("delivery", "delta"),
    )
    if contract.delivery not in DELIVERIES:
        raise ValueError(f"{path}: delivery {contract.delivery!r} must be one of {', '.join(DELIVERIES)}")
    unknown = set(contract.primary_key) | {contract.version_column} | ({contract.business_date} - {None})
    unknown -= set(contract.column_names)
    if unknown:
        raise ValueError(f"{path}: key, version or business date columns not declared: {sorted(unknown)}")
    if contract.business_date and contract.column(contract.business_date).type not in ("date", "timestamp"):
        raise ValueError(f"{path}: business_date {contract.business_date!r} must be a date or timestamp column")
    return contract


@lru_cache(maxsize=1)
def load_contracts() -> dict[str, Contract]:
    """All contracts by entity name, in a stable (alphabetical) order."""
    return {p.stem: _parse(p) for p in sorted(CONTRACTS_DIR.glob("*.yaml"))}


def create_raw_schema(con) -> None:
    """Create schema `raw` with one empty table per entity (idempotent)."""
    con.execute("CREATE SCHEMA IF NOT EXISTS raw")
    for contract in load_contracts().values():
        con.execute(contract.create_table_sql())
