"""Hold back a delivery file that fails its entity's blocking checks, and release it again.

One bad file costs only itself: a file over the reject threshold, failing the raw suite or not
loadable at all (a missing column, 0 bytes) is recorded as `held` in `raw._loads` with its
reason. Its rows, if any got in, stay in raw, and staging skips every row of a held or released
load (dbt macro `not_held_back`), so the entity keeps the state of its good deliveries and the
refresh publishes. A held file is not loaded again while it stays the same. What releases it:
deleting it (its rows stay out), replacing it (the new content loads as any new file), a change
of its entity's contract or mappings, or `python -m orchestration.refresh --retry-held`; a
released file that is still there is loaded again, its earlier rows replaced (`discard_rows`).
"""
from __future__ import annotations

import functools
import hashlib
import uuid
from pathlib import Path

import yaml

from ingestion import ledger
from ingestion.contract import CONTRACTS_DIR, Contract
from ingestion.ledger import HELD, RELEASED, LoadResult
from ingestion.mapping import MAPPINGS_DIR

RETRY_REASON = "released for a retry by --retry-held"
RELEASES = ("delete the file, save a corrected file under its name, correct the entity's contract or mapping, "
            "or run `python -m orchestration.refresh --retry-held`")


def rules_fingerprint(contract: Contract) -> str:
    """The contract and the vendor mappings of the entity: when they change, held files retry."""
    digest = hashlib.sha256((CONTRACTS_DIR / f"{contract.entity}.yaml").read_bytes())
    for path in sorted(MAPPINGS_DIR.glob("*.yaml")):
        text = path.read_bytes()
        if _mapped_entity(text) == contract.entity:
            digest.update(text)
    return digest.hexdigest()


@functools.lru_cache(maxsize=64)
def _mapped_entity(mapping_text: bytes) -> str | None:
    """The entity a vendor mapping file maps to (parsed once per content: asked for every file loaded)."""
    return (yaml.safe_load(mapping_text) or {}).get("entity")


def held_files(con, entity: str | None = None) -> list[tuple[str, str, str, str, str | None]]:
    """(entity, file, file_sha256, message, rules_sha256) of every file whose latest attempt is held;
    none in a warehouse without a ledger."""
    if not con.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'raw' AND table_name = '_loads'").fetchall()[0][0]:
        return []
    where, params = ("AND entity = ?", [entity]) if entity else ("", [])
    return con.execute(
        f"""SELECT entity, file, sha, message, rules FROM (
              SELECT entity, file, arg_max(status, loaded_at) AS status, arg_max(file_sha256, loaded_at) AS sha,
                     arg_max(message, loaded_at) AS message, arg_max(rules_sha256, loaded_at) AS rules
              FROM raw._loads WHERE true {where} GROUP BY entity, file)
            WHERE status = '{HELD}' ORDER BY entity, file""", params).fetchall()


def hold(con, result: LoadResult, reason: str) -> None:
    """Turn a just loaded file into a held one; its rows stay in raw, out of staging."""
    result.status, result.message = HELD, f"{result.file}: {reason}"
    con.execute("UPDATE raw._loads SET status = ?, message = ? WHERE load_id = ?", [HELD, result.message, result.load_id])


def hold_failing(con, results: list[LoadResult], threshold: float, suite_failures: dict[str, str]) -> list[LoadResult]:
    """Hold back the files just loaded that reject more rows than `threshold` allows or whose raw
    suite failed (`suite_failures`: file_sha256 -> what failed); returns them."""
    held = []
    for result in (r for r in results if r.status == "loaded"):
        meant = result.rows_read - result.rows_skipped
        reasons = []
        if result.rejected_share > threshold:
            reasons.append(f"{result.rows_quarantined} of {meant} rows quarantined ({result.rejected_share:.2%}), "
                           f"more than the threshold CRM_REJECT_THRESHOLD={threshold:g} ({threshold:.2%}) allows")
        if result.file_sha256 in suite_failures:
            reasons.append(suite_failures[result.file_sha256])
        if reasons:
            hold(con, result, "; ".join(reasons))
            held.append(result)
    return held


def release(con, entity: str, file: str, sha: str, why: str) -> LoadResult:
    result = LoadResult(entity, file, sha, RELEASED, load_id=uuid.uuid4().hex, message=f"{file}: {why}")
    ledger.record_load(con, result)
    return result


def release_stale(con, contract: Contract, landing_dir: Path) -> list[LoadResult]:
    """Release the entity's held files that were deleted, or whose contract or mapping changed."""
    rules = rules_fingerprint(contract)
    released = []
    for entity, file, sha, _, held_rules in held_files(con, contract.entity):
        if not (landing_dir / file).exists():
            released.append(release(con, entity, file, sha, "released: deleted from the landing zone, its rows stay out"))
        elif held_rules != rules:
            released.append(release(con, entity, file, sha, "released: the contract or mapping changed, loading it again"))
    return released


def release_all(con) -> list[LoadResult]:
    """Release every held file (`--retry-held`): those still there are loaded and judged again."""
    ledger.ensure_ledger(con)
    return [release(con, entity, file, sha, RETRY_REASON) for entity, file, sha, _, _ in held_files(con)]


def discard_rows(con, contract: Contract, file: str, sha: str) -> None:
    """Before a released file loads again: its earlier rows and quarantined rows go, so it counts once."""
    released = con.execute("SELECT count(*) FROM raw._loads WHERE entity = ? AND file = ? AND file_sha256 = ? AND status = ?",
                           [contract.entity, file, sha, RELEASED]).fetchall()[0][0]
    if released:
        con.execute(f"DELETE FROM {contract.table} WHERE _file = ? AND _file_sha256 = ?", [file, sha])
        con.execute("DELETE FROM raw._quarantine WHERE entity = ? AND file = ? AND file_sha256 = ?",
                    [contract.entity, file, sha])
