"""The erasure audit trail: who was erased (as a keyed pseudonym, never the clear id), when, and
what was removed where. Kept twice: `raw._erasures` in the warehouse, committed with the deletion,
and an append-only JSON lines file under `$CRM_DATA_DIR/audit/` that survives a rebuilt warehouse.
"""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

AUDIT_DDL = """
CREATE TABLE IF NOT EXISTS raw._erasures (
  erasure_id VARCHAR PRIMARY KEY,
  customer_pseudonym VARCHAR NOT NULL,
  requested_at TIMESTAMP NOT NULL,
  rows_removed VARCHAR NOT NULL,   -- JSON object: raw table -> rows deleted
  files_rewritten VARCHAR NOT NULL -- JSON list of landing files (relative paths)
)
"""


@dataclass
class ErasureRecord:
    erasure_id: str
    customer_pseudonym: str
    requested_at: str  # ISO 8601, UTC
    rows_removed: dict[str, int] = field(default_factory=dict)
    files_rewritten: list[str] = field(default_factory=list)
    status: str = "removed_from_raw_and_landing"


def record_in_warehouse(con, record: ErasureRecord) -> None:
    con.execute(AUDIT_DDL)
    con.execute(
        "INSERT INTO raw._erasures VALUES (?, ?, ?::TIMESTAMP, ?, ?)",
        [record.erasure_id, record.customer_pseudonym, record.requested_at.replace("Z", ""),
         json.dumps(record.rows_removed, sort_keys=True), json.dumps(record.files_rewritten)],
    )


def append_to_log(audit_dir: Path, record: ErasureRecord) -> Path:
    """Append one line and fsync it: the log is only ever appended to, never rewritten."""
    audit_dir.mkdir(parents=True, exist_ok=True)
    path = audit_dir / "erasures.jsonl"
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(asdict(record), sort_keys=True) + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    return path
