"""Load delivery files into `raw.<entity>`: typed, with lineage, bad rows quarantined.

Each file loads in one transaction: its good rows, its quarantined rows and its ledger entry
commit together or not at all, so a failed or killed load leaves nothing half-loaded and a rerun
picks the file up again. Every file is first typed into a temp table (`typing_sql.TYPED`), whose
rowids give each row its line and from which bad rows are quarantined by line and column.

Typing first is also the fast way for a clean file: DuckDB's order-preserving insert straight
from its CSV reader is slower than typing into the temp table and inserting from there
(BENCHMARKS.md, Ingestion).
"""
from __future__ import annotations

import hashlib
import tempfile
import uuid
from pathlib import Path

from ingestion import holdback, ledger, scan
from ingestion.column_plan import ColumnPlan, modified_at, plan_columns
from ingestion.contract import Contract, load_contracts
from ingestion.delivery import Delivery, Incoming
from ingestion.detect import UnsupportedFormat, sniff
from ingestion.files import file_facts
from ingestion.landing import IGNORED, LandingFile, entity_files, outside_files
from ingestion.ledger import LoadResult
from ingestion.missing_columns import missing_columns_message
from ingestion.raw_insert import insert_rows
from ingestion.readers import read_delivery
from ingestion.scan import DeliveryError
from ingestion.typing_sql import NO_ERRORS, TYPED, build_typed, error_rows_sql


def delivery_files(contract: Contract, landing_dir: Path) -> list[Path]:
    """The files of an entity's folder that may be read (for the sensor and erasure)."""
    return [f.path for f in entity_files(contract, landing_dir) if f.status is None]


def load_entity(con, contract: Contract, landing_dir: Path) -> list[LoadResult]:
    """Load every new delivery of one entity; files seen before (by content) are skipped, files
    that cannot be deliveries are reported once (see `ingestion.landing`), held files are released
    first if deleted or judged by other rules (`ingestion.holdback`)."""
    ledger.ensure_ledger(con)
    con.execute(contract.create_table_sql())
    con.execute("SET TimeZone = 'UTC'")
    holdback.release_stale(con, contract, landing_dir)
    rules = holdback.rules_fingerprint(contract)
    results = []
    for item in entity_files(contract, landing_dir):
        result = load_file(con, contract, item.path, landing_dir, rules) if item.status is None else report_file(con, item)
        if result is not None:
            results.append(result)
    return results


def report_outside_files(con, landing_dir: Path) -> list[LoadResult]:
    """Record every new or changed file outside the entity folders as ignored or refused."""
    ledger.ensure_ledger(con)
    found = (report_file(con, item) for item in outside_files(landing_dir, load_contracts()))
    return [result for result in found if result is not None]


def report_file(con, item: LandingFile) -> LoadResult | None:
    """Record a file that is not loaded, with its reason; None when reported so before. Such a
    file is never read: its fingerprint is that of its path, size and modification time."""
    status = item.path.lstat()
    size = status.st_size if item.status == IGNORED else 0
    sha = hashlib.sha256(f"not read: {item.path.resolve()} {status.st_size} {status.st_mtime_ns}".encode()).hexdigest()
    if ledger.unloaded_files(con, item.entity).get(item.label) == sha:
        return None
    result = LoadResult(item.entity, item.label, sha, item.status, size_bytes=size, load_id=uuid.uuid4().hex,
                        message=f"{item.label}: {item.reason}")
    ledger.record_load(con, result)
    return result


def load_file(con, contract: Contract, path: Path, landing_dir: Path, rules: str | None = None) -> LoadResult | None:
    """Load one file; None when this exact file (name and content) was handled before. `rules`:
    the fingerprint of the contract and mappings it is judged by (`holdback.rules_fingerprint`)."""
    label = path.relative_to(landing_dir).as_posix()
    facts = file_facts(path)
    seen = ledger.loaded_sha256s(con, contract.entity)
    if label in seen.get(facts.sha256, []) or ledger.unloaded_files(con, contract.entity).get(label) == facts.sha256:
        return None
    result = LoadResult(contract.entity, label, facts.sha256, "loaded", size_bytes=facts.size_bytes, load_id=uuid.uuid4().hex,
                        rules_sha256=rules)
    if facts.sha256 in seen:
        result.status = "duplicate"
        result.message = f"{label}: same content as {seen[facts.sha256][0]}, not loaded again"
        ledger.record_load(con, result)
        return result
    in_transaction = False
    try:
        if facts.error:
            raise DeliveryError(f"{label}: {facts.error}")
        sniffed = sniff(path, facts)
        with tempfile.TemporaryDirectory(prefix="crm-load-") as tmp:  # a UTF-8 copy lives here until read
            delivery, plan = _read_and_plan(con, contract, Incoming(path, label, facts, sniffed, Path(tmp)), result)
            # Temp tables are built outside the transaction: their rowids are then 0-based ordinals.
            _type(con, plan, delivery, result)
            con.execute("BEGIN TRANSACTION")
            in_transaction = True
            holdback.discard_rows(con, contract, label, facts.sha256)
            _insert_good_rows(con, contract, plan, result)
            _insert_quarantine(con, result)
        ledger.record_load(con, result)
        con.execute("COMMIT")
    except UnsupportedFormat as exc:  # not a delivery at all: reported, not failed
        result.status, result.message = IGNORED, f"{label}: {exc}"
        ledger.record_load(con, result)
    except Exception as exc:  # the file fails whole and is held back; the reason goes to the ledger
        if in_transaction:
            con.execute("ROLLBACK")
        result.status, result.rows_loaded, result.rows_quarantined, result.rows_skipped = ledger.HELD, 0, 0, 0
        result.skip_reasons = {}
        result.message = str(exc) if isinstance(exc, DeliveryError) else f"{label}: {type(exc).__name__}: {exc}"
        ledger.record_load(con, result)
    return result


def _read_and_plan(con, contract: Contract, incoming: Incoming, result: LoadResult) -> tuple[Delivery, ColumnPlan]:
    delivery = read_delivery(con, contract, incoming)
    options, mapping = delivery.options, delivery.mapping
    result.parse_options = options.as_dict() | delivery.details | {
        "format": incoming.sniffed.format, "profile": options.profile,
        "mapping": mapping.name if mapping else None, "header_line": delivery.header_line,
    }
    plan = plan_columns(contract, delivery.header, mapping, modified_at(incoming.path))
    if plan.missing_required:
        raise DeliveryError(missing_columns_message(
            result.file, max(delivery.header_line, 1), contract, mapping, delivery.header, plan.missing_required))
    if plan.fallbacks_used:
        result.parse_options["fallbacks"] = plan.fallbacks_used
    result.extra_columns = plan.extra_columns
    result.header, result.delimiter = delivery.header, options.delimiter
    return delivery, plan


def _type(con, plan: ColumnPlan, delivery: Delivery, result: LoadResult) -> None:
    """TYPED, the scan tables and the list of errors, for loading row by row."""
    typed = build_typed(con, plan, delivery.header, delivery.options, delivery.source)
    scanned = delivery.complete(con, typed.rows)
    errors = error_rows_sql(plan, delivery.options, typed) if typed.bad else NO_ERRORS
    con.execute(f"CREATE OR REPLACE TEMP TABLE _load_errors AS {errors}")
    result.bad_row_filter = typed.good_row_filter
    result.rows_read = scanned.rows + scanned.rejected
    result.rows_skipped, result.skip_reasons = sum(typed.skipped.values()), typed.skipped
    result.rows_loaded = scanned.rows - typed.bad - result.rows_skipped
    result.rows_quarantined = scanned.rejected + typed.bad


def _insert_good_rows(con, contract: Contract, plan: ColumnPlan, result: LoadResult) -> None:
    offset = scan.line_offset(con)
    if offset is not None:  # the common case: one line per record, nothing rejected by the reader
        line, source = f"t.rowid + {offset + 1}", f"{TYPED} t"
    else:
        line, source = "l.line", f"{TYPED} t JOIN ({scan.good_record_lines_sql()}) l ON l.record = t.rowid"
    insert_rows(con, contract, plan, result, source, line, result.bad_row_filter)


def _insert_quarantine(con, result: LoadResult) -> None:
    if not result.rows_quarantined:  # mapping lines to records costs a pass over LINES
        return
    record_text = "concat_ws(?, " + ", ".join(f"coalesce(t.c{i}, '')" for i in range(len(result.header))) + ")"
    con.execute(
        f"""INSERT INTO raw._quarantine
        SELECT ?, ?, ?, ?, l.line, e.column_name, e.reason, {record_text}, now()::TIMESTAMP
        FROM _load_errors e JOIN {TYPED} t ON t.rowid = e.record
        JOIN ({scan.good_record_lines_sql()}) l ON l.record = e.record""",
        [result.load_id, result.entity, result.file, result.file_sha256, result.delimiter],
    )
    con.execute(
        f"""INSERT INTO raw._quarantine
        SELECT ?, ?, ?, ?, line, NULL, error_type || ': ' || error_message, csv_line, now()::TIMESTAMP
        FROM ({scan.rejected_lines_sql()})""",
        [result.load_id, result.entity, result.file, result.file_sha256],
    )
