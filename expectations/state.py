"""What the warehouse checks remember between runs, kept in the warehouse's own `validation` schema.

Kept beside the data it describes, so a rebuilt warehouse starts from scratch: `staging_loads`
records which deliveries each staging model passed a validation on (`staging_scope`), `profiles`
each relation's volume, freshness and distribution per run (`profile`).
"""
from __future__ import annotations

STATE_DDL = """
CREATE SCHEMA IF NOT EXISTS validation;
CREATE TABLE IF NOT EXISTS validation.staging_loads (
  model VARCHAR NOT NULL,
  load_id VARCHAR NOT NULL,
  run_id VARCHAR NOT NULL,
  validated_at TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS validation.profiles (
  relation VARCHAR NOT NULL,
  run_id VARCHAR NOT NULL,
  profile JSON NOT NULL,
  profiled_at TIMESTAMP NOT NULL
);
"""


def ensure_state(con) -> None:
    con.execute(STATE_DDL)
