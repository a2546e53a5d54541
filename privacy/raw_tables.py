"""Find and delete one person's rows in `raw`, with the ledger kept true to the landing files.

The person's identifiers are collected by following links through the raw tables (customer ->
orders -> order lines, returns, cancellations, payment references -> bank transactions; contacts
-> deals -> quotes; tickets -> survey answers; sessions -> events), then every raw table is
filtered with the same rule the delivery files are (`privacy.matching`).
"""
from __future__ import annotations

from ingestion.contract import Contract, load_contracts
from ingestion.parsing import quote_ident
from privacy.landing import Rewrite
from privacy.matching import Identifiers

# Columns whose values, on a row of the person, identify further rows of the person. customer_id
# is not followed (a row may name another customer), nor are shared ids (campaign, product, post).
LINK_COLUMNS = ("contact_id", "order_id", "ticket_id", "deal_id", "quote_id", "contract_id",
                "session_id", "payment_reference", "email")
# Columns holding the person's own identifying values, taken from their customer rows.
PERSON_COLUMNS = ("customer_name", "email", "phone")


def _varchar_columns(contract: Contract) -> list[str]:
    return [c.name for c in contract.columns if c.type == "varchar"]


def _raw_tables(con) -> dict[str, Contract]:
    present = {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'raw'").fetchall()}
    return {e: c for e, c in load_contracts().items() if e in present}


def _load_identifiers(con, ids: Identifiers) -> None:
    con.execute("CREATE OR REPLACE TEMP TABLE _erase_tokens (token VARCHAR)")
    con.execute("CREATE OR REPLACE TEMP TABLE _erase_fragments (fragment VARCHAR)")
    if ids.tokens:
        con.executemany("INSERT INTO _erase_tokens VALUES (?)", [[t] for t in sorted(ids.tokens)])
    if ids.fragments:
        con.executemany("INSERT INTO _erase_fragments VALUES (?)", [[f] for f in sorted(ids.fragments)])


def _row_predicate(contract: Contract) -> str:
    tests = []
    for column in _varchar_columns(contract):
        value = f"lower(trim({quote_ident(column)}))"
        tests.append(f"{value} IN (SELECT token FROM _erase_tokens)")
        tests.append(f"EXISTS (SELECT 1 FROM _erase_fragments f WHERE contains({value}, f.fragment))")
    tests.append("EXISTS (SELECT 1 FROM _erase_tokens t WHERE contains(lower(_extra), '\"' || t.token || '\"'))")
    return "(" + " OR ".join(tests) + ")"


def collect_identifiers(con, customer_id: str, emails: list[str]) -> Identifiers:
    """Follow the links from the customer id (and given e-mails) until no new identifier appears."""
    ids = Identifiers()
    ids.add_token(customer_id)
    for email in emails:
        ids.add_token(email)
        ids.add_fragment(email)
    tables = _raw_tables(con)
    if "customers" in tables:
        for row in con.execute(f"SELECT {', '.join(PERSON_COLUMNS)} FROM raw.customers WHERE customer_id = ?", [customer_id]).fetchall():
            for value in row:
                ids.add_token(value)
            ids.add_fragment(row[1])
    for _ in range(6):
        _load_identifiers(con, ids)
        grew = False
        for contract in tables.values():
            links = [c for c in LINK_COLUMNS if c in contract.column_names]
            if not links:
                continue
            rows = con.execute(f"SELECT {', '.join(map(quote_ident, links))} FROM {contract.table} WHERE {_row_predicate(contract)}").fetchall()
            for row in rows:
                for name, value in zip(links, row):
                    grew |= ids.add_token(value)
                    if name in ("email", "payment_reference"):
                        ids.add_fragment(value)
        if not grew:
            break
    return ids


def delete_rows(con, ids: Identifiers) -> tuple[dict[str, int], dict[str, tuple[int, int]]]:
    """Delete the person's rows from every raw table and the quarantine (inside the caller's
    transaction). Returns rows removed per table and, per file, (raw rows, quarantined rows)."""
    _load_identifiers(con, ids)
    removed: dict[str, int] = {}
    per_file: dict[str, list[int]] = {}
    for contract in _raw_tables(con).values():
        where = _row_predicate(contract)
        for file, n in con.execute(f"SELECT _file, count(*) FROM {contract.table} WHERE {where} GROUP BY 1").fetchall():
            per_file.setdefault(file, [0, 0])[0] += n
        count = con.execute(f"DELETE FROM {contract.table} WHERE {where}").fetchall()[0][0]
        if count:
            removed[contract.table] = count
    quarantine = ("(EXISTS (SELECT 1 FROM _erase_tokens t WHERE contains(lower(raw_text), t.token)) "
                  "OR EXISTS (SELECT 1 FROM _erase_fragments f WHERE contains(lower(raw_text), f.fragment)))")
    for file, n in con.execute(f"SELECT file, count(*) FROM raw._quarantine WHERE {quarantine} GROUP BY 1").fetchall():
        per_file.setdefault(file, [0, 0])[1] += n
    count = con.execute(f"DELETE FROM raw._quarantine WHERE {quarantine}").fetchall()[0][0]
    if count:
        removed["raw._quarantine"] = count
    return removed, {f: (a, b) for f, (a, b) in per_file.items()}


def record_rewrites(con, rewrites: list[Rewrite], per_file: dict[str, tuple[int, int]]) -> None:
    """Point the ledger and the lineage of the remaining rows at the rewritten files: new sha256
    and size (so a rerun skips them), row counts without the removed rows (still balanced), and
    `_line` shifted up by the removed lines before it."""
    con.execute("CREATE OR REPLACE TEMP TABLE _erase_spans (file VARCHAR, first_line BIGINT, lines BIGINT)")
    spans = [[r.label, first, n] for r in rewrites for first, n in r.removed_spans]
    if spans:
        con.executemany("INSERT INTO _erase_spans VALUES (?, ?, ?)", spans)
    for r in rewrites:
        raw_rows, quarantined = per_file.get(r.label, (0, 0))
        con.execute(
            "UPDATE raw._loads SET file_sha256 = ?, size_bytes = ?, "
            "rows_read = CASE WHEN status = 'loaded' THEN rows_read - ? ELSE rows_read END, "
            "rows_loaded = CASE WHEN status = 'loaded' THEN rows_loaded - ? ELSE rows_loaded END, "
            "rows_quarantined = CASE WHEN status = 'loaded' THEN rows_quarantined - ? ELSE rows_quarantined END "
            "WHERE file = ? AND file_sha256 = ?",
            [r.new_sha256, r.size_bytes, r.records_removed, raw_rows, quarantined, r.label, r.old_sha256],
        )
    shift = "(SELECT coalesce(sum(s.lines), 0) FROM _erase_spans s WHERE s.file = {file} AND s.first_line < {line})"
    files = [r.label for r in rewrites]
    if not files:
        return
    marks = ", ".join("?" for _ in files)
    # Rows of held-back and released loads follow too, or staging (macro not_held_back) would take them in.
    for contract in _raw_tables(con).values():
        con.execute(
            f"UPDATE {contract.table} AS t SET _line = t._line - {shift.format(file='t._file', line='t._line')}, "
            f"_file_sha256 = coalesce((SELECT max(l.file_sha256) FROM raw._loads l WHERE l.file = t._file AND l.status IN ('loaded', 'held', 'released')), t._file_sha256) "
            f"WHERE t._file IN ({marks})", files)
    con.execute(
        f"UPDATE raw._quarantine AS q SET line = q.line - {shift.format(file='q.file', line='q.line')}, "
        f"file_sha256 = coalesce((SELECT max(l.file_sha256) FROM raw._loads l WHERE l.file = q.file AND l.status IN ('loaded', 'held', 'released')), q.file_sha256) "
        f"WHERE q.file IN ({marks})", files)
