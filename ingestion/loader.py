"""Load delivery files into `raw.<entity>`: typed, with lineage, bad rows quarantined.

Each file loads in one transaction: its good rows, its quarantined rows and its ledger entry
commit together or not at all, so a failed or killed load leaves nothing half-loaded and a rerun
picks the file up again.
"""
from __future__ import annotations

import tempfile
import uuid
from pathlib import Path

from ingestion import ledger, scan
from ingestion.column_plan import ColumnPlan, plan_columns
from ingestion.contract import Contract
from ingestion.files import file_facts
from ingestion.ledger import LoadResult
from ingestion.readers import DELIVERY_SUFFIXES, read_delivery
from ingestion.scan import DeliveryError
from ingestion.typing_sql import TYPED, bad_row_condition, build_typed, error_rows_sql


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
        plan = _scan_and_type(con, contract, path, result)
        # Temp tables are built outside the transaction: their rowids are then 0-based ordinals.
        con.execute("BEGIN TRANSACTION")
        in_transaction = True
        _insert_good_rows(con, contract, plan, result)
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


def _scan_and_type(con, contract: Contract, path: Path, result: LoadResult) -> ColumnPlan:
    with tempfile.TemporaryDirectory(prefix="crm-load-") as tmp:
        delivery = read_delivery(con, contract, path, result.file, Path(tmp))
    options, mapping = delivery.options, delivery.mapping
    result.parse_options = options.as_dict() | {"profile": options.profile, "mapping": mapping.name if mapping else None}
    plan = plan_columns(contract, delivery.header, mapping)
    if plan.missing_required:
        raise DeliveryError(
            f"{result.file}: line {max(delivery.header_line, 1)}: required column(s) missing: {', '.join(plan.missing_required)}"
        )
    result.extra_columns = plan.extra_columns
    bad = build_typed(con, plan, len(delivery.header), options)
    errors = error_rows_sql(plan, options) if bad else "SELECT NULL::BIGINT AS record, NULL::VARCHAR AS column_name, NULL::VARCHAR AS reason WHERE false"
    con.execute(f"CREATE OR REPLACE TEMP TABLE _load_errors AS {errors}")
    result.bad_row_filter = f"NOT ({bad_row_condition(plan, options)})" if bad else "true"
    result.header, result.delimiter = delivery.header, options.delimiter
    result.rows_read = delivery.scan.rows + delivery.scan.rejected
    result.rows_loaded = delivery.scan.rows - bad
    result.rows_quarantined = delivery.scan.rejected + bad
    return plan


def _insert_good_rows(con, contract: Contract, plan: ColumnPlan, result: LoadResult) -> None:
    names = ", ".join(f'"{c}"' for c in contract.column_names)
    extra = [(h, f"c{i}") for i, h in enumerate(result.header) if h in plan.extra_columns]
    extra_sql = "json_object(" + ", ".join(f"?, t.{col}" for _, col in extra) + ")::VARCHAR" if extra else "NULL"
    offset = scan.line_offset(con)
    if offset is not None:  # the common case: one line per record, nothing rejected by the reader
        line, source = f"t._record + {offset + 1}", f"{TYPED} t"
    else:
        line, source = "l.line", f"{TYPED} t JOIN ({scan.good_record_lines_sql()}) l ON l.record = t._record"
    con.execute(
        f"""INSERT INTO {contract.table} ({names}, _extra, _file, _line, _file_sha256, _loaded_at)
        SELECT {', '.join(f't."{c}"' for c in contract.column_names)}, {extra_sql}, ?, {line}, ?, now()::TIMESTAMP
        FROM {source} WHERE {result.bad_row_filter}""",
        [h for h, _ in extra] + [result.file, result.file_sha256],
    )


def _insert_quarantine(con, result: LoadResult) -> None:
    record_text = "concat_ws(?, " + ", ".join(f"coalesce(t.c{i}, '')" for i in range(len(result.header))) + ")"
    con.execute(
        f"""INSERT INTO raw._quarantine
        SELECT ?, ?, ?, ?, l.line, e.column_name, e.reason, {record_text}, now()::TIMESTAMP
        FROM _load_errors e JOIN {TYPED} t ON t._record = e.record
        JOIN ({scan.good_record_lines_sql()}) l ON l.record = e.record""",
        [result.load_id, result.entity, result.file, result.file_sha256, result.delimiter],
    )
    con.execute(
        f"""INSERT INTO raw._quarantine
        SELECT ?, ?, ?, ?, line, NULL, error_type || ': ' || error_message, csv_line, now()::TIMESTAMP
        FROM ({scan.rejected_lines_sql()})""",
        [result.load_id, result.entity, result.file, result.file_sha256],
    )
