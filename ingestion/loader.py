"""Load delivery files into `raw.<entity>`: typed, with lineage, bad rows quarantined.

Each file loads in one transaction: its good rows, its quarantined rows and its ledger entry
commit together or not at all, so a failed or killed load leaves nothing half-loaded and a rerun
picks the file up again.
"""
from __future__ import annotations

import dataclasses
import tempfile
import uuid
from pathlib import Path

from ingestion import csv_scan, ledger
from ingestion.contract import Contract
from ingestion.csv_scan import DeliveryError
from ingestion.files import file_facts, utf8_copy
from ingestion.formats import ParseOptions, detect_options
from ingestion.ledger import LoadResult
from ingestion.column_plan import plan_columns
from ingestion.mapping import VendorMapping, find_mapping, load_mappings
from ingestion.typing_sql import TYPED, build_typed, error_rows_sql

DELIVERY_SUFFIXES = (".csv", ".csv.gz", ".txt")


def delivery_files(contract: Contract, landing_dir: Path) -> list[Path]:
    folder = landing_dir / contract.source / contract.entity
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.name.lower().endswith(DELIVERY_SUFFIXES))


def load_entity(con, contract: Contract, landing_dir: Path) -> list[LoadResult]:
    """Load every new delivery of one entity; files seen before (by content) are skipped."""
    ledger.ensure_ledger(con)
    con.execute(contract.create_table_sql())
    con.execute("SET TimeZone = 'UTC'")
    results = []
    for path in delivery_files(contract, landing_dir):
        result = load_file(con, contract, path, landing_dir)
        if result is not None:
            results.append(result)
    return results


def load_file(con, contract: Contract, path: Path, landing_dir: Path) -> LoadResult | None:
    """Load one file; None when this exact file (name and content) was handled before."""
    label = path.relative_to(landing_dir).as_posix()
    facts = file_facts(path)
    seen = ledger.loaded_sha256s(con, contract.entity)
    if label in seen.get(facts.sha256, []) or ledger.failed_files(con, contract.entity).get(label) == facts.sha256:
        return None
    result = LoadResult(contract.entity, label, facts.sha256, "loaded", size_bytes=facts.size_bytes, load_id=uuid.uuid4().hex)
    if facts.sha256 in seen:
        result.status = "duplicate"
        result.message = f"{label}: same content as {seen[facts.sha256][0]}, not loaded again"
        ledger.record_load(con, result)
        return result
    in_transaction = False
    try:
        _scan_and_type(con, contract, path, facts.line_count, result)
        # Temp tables are built outside the transaction: their rowids are then 0-based ordinals.
        con.execute("BEGIN TRANSACTION")
        in_transaction = True
        _insert_good_rows(con, contract, result)
        _insert_quarantine(con, result)
        ledger.record_load(con, result)
        con.execute("COMMIT")
    except Exception as exc:  # the file fails whole; the reason goes to the ledger
        if in_transaction:
            con.execute("ROLLBACK")
        result.status, result.rows_loaded, result.rows_quarantined = "failed", 0, 0
        result.message = str(exc) if isinstance(exc, DeliveryError) else f"{label}: {type(exc).__name__}: {exc}"
        ledger.record_load(con, result)
    return result


def _header_and_mapping(contract: Contract, path: Path, options: ParseOptions, label: str):
    """The header line and the vendor mapping it matches; vendor headers may follow a preamble."""
    header = csv_scan.parse_header(path, options, label)
    mapping = find_mapping(contract.entity, header)
    if mapping is None:
        for skip in sorted({m.skip_lines for m in load_mappings() if m.entity == contract.entity} - {0}):
            try:
                candidate = csv_scan.parse_header(path, options, label, skip)
            except DeliveryError:
                continue
            found = find_mapping(contract.entity, candidate)
            if found is not None and found.skip_lines == skip:
                return candidate, found
    return header, mapping


def _apply_overrides(options: ParseOptions, mapping: VendorMapping | None) -> ParseOptions:
    return dataclasses.replace(options, **mapping.parse) if mapping else options


def _scan_and_type(con, contract: Contract, path: Path, line_count: int, result: LoadResult) -> None:
    detected = detect_options(path)
    header, mapping = _header_and_mapping(contract, path, detected, result.file)
    options = _apply_overrides(detected, mapping)
    skip = mapping.skip_lines if mapping else 0
    result.parse_options = options.as_dict() | {"profile": options.profile, "mapping": mapping.name if mapping else None}
    plan = plan_columns(contract, header, mapping)
    if plan.missing_required:
        raise DeliveryError(f"{result.file}: line {skip + 1}: required column(s) missing: {', '.join(plan.missing_required)}")
    result.extra_columns = plan.extra_columns
    with tempfile.TemporaryDirectory(prefix="crm-load-") as tmp:
        readable = utf8_copy(path, options.encoding, Path(tmp))
        scan = csv_scan.scan(con, readable, header, options, line_count - 1 - skip, skip)
    build_typed(con, plan, len(header), options)
    con.execute(f"CREATE OR REPLACE TEMP TABLE _load_errors AS {error_rows_sql(plan, options)}")
    bad = con.execute("SELECT count(DISTINCT record) FROM _load_errors").fetchall()[0][0]
    result.header, result.delimiter = header, options.delimiter
    result.rows_read = scan.rows + scan.rejected
    result.rows_loaded = scan.rows - bad
    result.rows_quarantined = scan.rejected + bad


def _insert_good_rows(con, contract: Contract, result: LoadResult) -> None:
    header = result.header
    names = ", ".join(f'"{c}"' for c in contract.column_names)
    extra = [(h, f"c{i}") for i, h in enumerate(header) if h in result.extra_columns]
    extra_sql = "json_object(" + ", ".join(f"?, t.{col}" for _, col in extra) + ")::VARCHAR" if extra else "NULL"
    con.execute(
        f"""INSERT INTO {contract.table} ({names}, _extra, _file, _line, _file_sha256, _loaded_at)
        SELECT {', '.join(f't."{c}"' for c in contract.column_names)}, {extra_sql}, ?, l.line, ?, now()::TIMESTAMP
        FROM {TYPED} t JOIN ({csv_scan.good_record_lines_sql()}) l ON l.record = t._record
        WHERE t._record NOT IN (SELECT record FROM _load_errors)
        ORDER BY t._record""",
        [h for h, _ in extra] + [result.file, result.file_sha256],
    )


def _insert_quarantine(con, result: LoadResult) -> None:
    record_text = "concat_ws(?, " + ", ".join(f"coalesce(t.c{i}, '')" for i in range(len(result.header))) + ")"
    con.execute(
        f"""INSERT INTO raw._quarantine
        SELECT ?, ?, ?, ?, l.line, e.column_name, e.reason, {record_text}, now()::TIMESTAMP
        FROM _load_errors e JOIN {TYPED} t ON t._record = e.record
        JOIN ({csv_scan.good_record_lines_sql()}) l ON l.record = e.record""",
        [result.load_id, result.entity, result.file, result.file_sha256, result.delimiter],
    )
    con.execute(
        f"""INSERT INTO raw._quarantine
        SELECT ?, ?, ?, ?, line, NULL, error_type || ': ' || error_message, csv_line, now()::TIMESTAMP
        FROM ({csv_scan.rejected_lines_sql()})""",
        [result.load_id, result.entity, result.file, result.file_sha256],
    )
