"""The load ledger: which file was loaded when, with what options and outcome, and its bad rows.

`raw._loads` makes reruns idempotent (a file whose content was loaded before is never loaded
again, whatever its name) and `raw._quarantine` keeps every rejected row with its reason.

A file that fails its entity's blocking checks is held back (`HELD`): its rows, if any got in,
stay in raw but staging reads no row of a held or released load (dbt macro `not_held_back`), so
the entity keeps the state of its good deliveries. `ingestion.holdback` decides what holds and
releases a file; the status of a file is always the status of its latest ledger row.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

LEDGER_DDL = """
CREATE SCHEMA IF NOT EXISTS raw;
CREATE TABLE IF NOT EXISTS raw._loads (
  load_id VARCHAR PRIMARY KEY,
  entity VARCHAR NOT NULL,
  file VARCHAR NOT NULL,
  file_sha256 VARCHAR NOT NULL,
  size_bytes BIGINT,
  parse_options VARCHAR,
  rows_read BIGINT,
  rows_loaded BIGINT,
  rows_quarantined BIGINT,
  extra_columns VARCHAR,
  status VARCHAR NOT NULL,  -- loaded | duplicate | held | released | ignored | refused (see ingestion.landing)
  message VARCHAR,
  loaded_at TIMESTAMP NOT NULL,
  rows_skipped BIGINT,  -- rows that are no record of the entity (not loaded, not quarantined)
  skip_reasons VARCHAR,  -- JSON: reason -> rows
  rules_sha256 VARCHAR  -- fingerprint of the contract and mappings the file was judged by
);
CREATE TABLE IF NOT EXISTS raw._quarantine (
  load_id VARCHAR NOT NULL,
  entity VARCHAR NOT NULL,
  file VARCHAR NOT NULL,
  file_sha256 VARCHAR NOT NULL,
  line BIGINT,
  column_name VARCHAR,
  reason VARCHAR NOT NULL,
  raw_text VARCHAR,
  quarantined_at TIMESTAMP NOT NULL
);
"""


@dataclass
class LoadResult:
    """Outcome of one delivery file; `rows_read == rows_loaded + rows_quarantined + rows_skipped`
    when loaded."""

    entity: str
    file: str
    file_sha256: str
    status: str
    size_bytes: int = 0
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    rows_skipped: int = 0
    skip_reasons: dict[str, int] = field(default_factory=dict)
    extra_columns: list[str] = field(default_factory=list)
    parse_options: dict = field(default_factory=dict)
    message: str | None = None
    load_id: str = ""
    header: list[str] = field(default_factory=list, repr=False)
    delimiter: str = ","
    bad_row_filter: str = field(default="true", repr=False)
    rules_sha256: str | None = None

    @property
    def rejected_share(self) -> float:
        """Quarantined rows among the rows meant to load: skipped rows are not rejected."""
        considered = self.rows_read - self.rows_skipped
        return self.rows_quarantined / considered if considered else 0.0


# Columns added after warehouses were created: a ledger from before gets them on its next load.
LEDGER_MIGRATIONS = (
    "ALTER TABLE raw._loads ADD COLUMN IF NOT EXISTS rows_skipped BIGINT",
    "ALTER TABLE raw._loads ADD COLUMN IF NOT EXISTS skip_reasons VARCHAR",
    "ALTER TABLE raw._loads ADD COLUMN IF NOT EXISTS rules_sha256 VARCHAR",
    "UPDATE raw._loads SET status = 'held' WHERE status = 'failed'",  # a failed file of old is held back
)
HELD, RELEASED = "held", "released"
# Files reported once per content: not loaded again until they change (or, if held, are released).
UNLOADED = (HELD, "ignored", "refused")


def ensure_ledger(con) -> None:
    con.execute(LEDGER_DDL)
    for statement in LEDGER_MIGRATIONS:
        con.execute(statement)


def loaded_sha256s(con, entity: str) -> dict[str, list[str]]:
    """Content fingerprints already loaded for an entity, with the file names they came under."""
    rows = con.execute(
        "SELECT file_sha256, list(DISTINCT file) FROM raw._loads "
        "WHERE entity = ? AND status IN ('loaded', 'duplicate') GROUP BY 1",
        [entity],
    ).fetchall()
    return {sha: files for sha, files in rows}


def unloaded_files(con, entity: str) -> dict[str, str]:
    """Files whose last attempt was held back, ignored or refused, by path, with the
    fingerprint of that attempt: reported once, again only when they change or are released."""
    rows = con.execute(
        "SELECT file, arg_max(file_sha256, loaded_at), arg_max(status, loaded_at) "
        "FROM raw._loads WHERE entity = ? GROUP BY file",
        [entity],
    ).fetchall()
    return {file: sha for file, sha, status in rows if status in UNLOADED}


def record_load(con, result: LoadResult) -> None:
    # Columns by name: a migrated ledger has the newer columns in another order.
    con.execute(
        "INSERT INTO raw._loads (load_id, entity, file, file_sha256, size_bytes, parse_options, rows_read, rows_loaded, "
        "rows_quarantined, extra_columns, status, message, loaded_at, rows_skipped, skip_reasons, rules_sha256) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now()::TIMESTAMP, ?, ?, ?)",
        [
            result.load_id, result.entity, result.file, result.file_sha256, result.size_bytes,
            json.dumps(result.parse_options, sort_keys=True), result.rows_read, result.rows_loaded,
            result.rows_quarantined, json.dumps(result.extra_columns), result.status, result.message,
            result.rows_skipped, json.dumps(result.skip_reasons, sort_keys=True), result.rules_sha256,
        ],
    )
