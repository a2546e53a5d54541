"""Erase one customer's personal data (GDPR art. 17): `python -m privacy.erase --customer-id C000123
[--email x@y ...]`.

Removes the customer's records from the landing files and from every raw table (with the records
linked to them: order lines, returns, cancellations, bank transactions carrying their payment
references, ...), replaces their values among the samples kept in validation results (and
rebuilds the Data Docs), then runs the normal refresh (`orchestration.refresh --rebuild`) under
the same refresh lock: every model is rebuilt from scratch from what remains (incremental models
do not keep the erased rows), the dbt tests and Great Expectations suites run, and only if they
pass are the serving copy, Parquet and the KPI report published. The audit record names the
customer only by keyed pseudonym.

Crash safety: rewritten files are staged first; the raw deletion, the ledger update (new sha256 of
every rewritten file, so the next refresh does not reload it) and the audit row commit in one
transaction; only then are the staged files renamed over the originals. Staged files left by an
interrupted run are rolled forward (transaction committed) or discarded (it did not) on the next
run. Run it again with the same arguments after any failure.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import uuid
from pathlib import Path


from expectations.docs import build_data_docs
from expectations.store import redact_samples
from ingestion.connection import connect_warehouse
from ingestion.contract import load_contracts
from ingestion.loader import delivery_files
from ingestion.settings import Settings
from privacy import audit
from privacy.landing import STAGED_SUFFIX, Rewrite, stage_rewrite
from privacy.matching import Identifiers
from privacy.pseudonym import pseudonymize
from privacy.raw_tables import collect_identifiers, delete_rows, record_rewrites


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def recover_staged(con, landing_dir: Path) -> None:
    """Finish or discard the file swaps of an interrupted erasure."""
    for staged in landing_dir.rglob(f".*{STAGED_SUFFIX}"):
        original = staged.with_name(staged.name[1:-len(STAGED_SUFFIX)])
        label = original.relative_to(landing_dir).as_posix()
        committed = con.execute("SELECT count(*) FROM raw._loads WHERE file = ? AND file_sha256 = ?",
                                [label, _sha256(staged)]).fetchall()[0][0]
        if committed:
            os.replace(staged, original)
        else:
            staged.unlink()


def stage_rewrites(landing_dir: Path, ids) -> list[Rewrite]:
    rewrites = []
    for contract in load_contracts().values():
        for path in delivery_files(contract, landing_dir):
            rewrite = stage_rewrite(path, path.relative_to(landing_dir).as_posix(), ids)
            if rewrite is not None:
                rewrites.append(rewrite)
    return rewrites


def erase_from_validations(settings: Settings, ids: Identifiers) -> int:
    """Stored validation results keep a few unexpected values per expectation, which may be the
    person's (an id, an address in a free-text column): replace them and rebuild the Data Docs."""
    replaced = redact_samples(settings.validations_dir, lambda value: ids.matches([value]))
    build_data_docs(settings.validations_dir, settings.data_docs_dir)
    return replaced


def erase_from_raw_and_landing(settings: Settings, customer_id: str, emails: list[str]) -> audit.ErasureRecord:
    record = audit.ErasureRecord(
        erasure_id=uuid.uuid4().hex,
        customer_pseudonym=pseudonymize(customer_id.strip()),
        requested_at=dt.datetime.now(dt.timezone.utc).replace(tzinfo=None).isoformat(timespec="seconds") + "Z",
    )
    with connect_warehouse(settings) as con:
        recover_staged(con, settings.landing_dir)
        ids = collect_identifiers(con, customer_id.strip(), emails)
        # First, while raw still leads from the customer id to all their values: a rerun after a
        # crash finds only what it is given.
        erase_from_validations(settings, ids)
        rewrites = stage_rewrites(settings.landing_dir, ids)
        try:
            con.execute("BEGIN TRANSACTION")
            record.rows_removed, per_file = delete_rows(con, ids)
            record_rewrites(con, rewrites, per_file)
            record.files_rewritten = sorted(r.label for r in rewrites)
            audit.record_in_warehouse(con, record)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            for rewrite in rewrites:
                rewrite.staged.unlink(missing_ok=True)
            raise
        for rewrite in rewrites:
            os.replace(rewrite.staged, rewrite.path)
    return record


def main(argv: list[str] | None = None) -> int:
    """Erase under the refresh lock, then refresh; returns the refresh's exit code. The deletion
    is committed and audited even if the refresh fails: fix the cause and run
    `python -m orchestration.refresh --rebuild` (or this command again)."""
    from orchestration import refresh  # the CLI wires the plain erasure into the pipeline's refresh

    parser = argparse.ArgumentParser(prog="python -m privacy.erase", description=__doc__.split("\n\n")[0])
    parser.add_argument("--customer-id", required=True)
    parser.add_argument("--email", action="append", default=[], help="further address of the person (repeatable)")
    args = parser.parse_args(argv)
    erased: list[tuple[Settings, audit.ErasureRecord]] = []

    def erase_first(settings: Settings) -> None:
        erased.append((settings, erase_from_raw_and_landing(settings, args.customer_id, args.email)))
        refresh.log("erased from landing and raw, rebuilding every model")

    code = refresh.main(["--rebuild"], first=erase_first)
    if not erased:
        return code
    settings, record = erased[0]
    published = code in (0, refresh.EXIT_HELD)
    record.status = "completed" if published else f"removed_from_raw_and_landing; refresh failed (exit {code})"
    audit.append_to_log(settings.data_dir / "audit", record)
    total = sum(record.rows_removed.values())
    what = ("marts rebuilt and republished" if published
            else "but the refresh failed (see above): the serving copy and the report still hold their data until "
                 "`python -m orchestration.refresh --rebuild` succeeds")
    print(f"Erasure {record.erasure_id} (customer pseudonym {record.customer_pseudonym[:16]}...): "
          f"{total} rows removed from {len(record.rows_removed)} tables, {len(record.files_rewritten)} files rewritten, "
          f"{what}.")
    return code


if __name__ == "__main__":
    from orchestration.refresh import exit_process

    exit_process(main())
