"""Problems from the load ledger: files not loaded, and files that lost too many rows.

The latest attempt of every file counts, as in `ingestion.quality`: a file that failed keeps
being listed, on every refresh, until a corrected version replaces it. Any status other than
`loaded` and `duplicate` (same content as a file loaded before, by design) is a problem, so a
status added to the loader later is reported without a change here.
"""
from __future__ import annotations

import json
import re
from datetime import datetime, timezone

from ingestion.contract import load_contracts
from ingestion.mapping import load_mappings
from ingestion.quality import delivery_health

from .problem import Problem

FINE = ("loaded", "duplicate")
LATEST = """
SELECT file, entity, arg_max(status, loaded_at), arg_max(message, loaded_at), arg_max(parse_options, loaded_at),
       arg_max(rows_read, loaded_at), arg_max(rows_quarantined, loaded_at), arg_max(load_id, loaded_at), max(loaded_at)
FROM raw._loads {where} GROUP BY file, entity ORDER BY file
"""
REDELIVER = "save the corrected file into the landing zone again: a changed file is loaded on the next refresh"


def latest_loads(con, entity: str | None = None) -> list[tuple]:
    where, params = ("WHERE entity = ?", [entity]) if entity else ("", [])
    return con.execute(LATEST.format(where=where), params).fetchall()


def _line(message: str) -> int | None:
    found = re.search(r"\bline (\d+)\b", message)
    return int(found.group(1)) if found else None


def missing_columns_todo(entity: str, message: str, parse_options: str | None) -> str | None:
    """Which header to add for each missing contract column, in the vendor's words when a mapping applied."""
    if "missing" not in message or entity not in load_contracts():
        return None
    tail = message.split("missing", 1)[1]
    missing = [c for c in load_contracts()[entity].column_names if re.search(rf"\b{re.escape(c)}\b", tail)]
    if not missing:
        return None
    mapping_name = json.loads(parse_options or "{}").get("mapping")
    mapping = next((m for m in load_mappings() if m.name == mapping_name), None)
    wanted = []
    for column in missing:
        headers = mapping.columns.get(column, ()) if mapping else ()
        names = " or ".join(f"'{h}'" for h in headers) or f"'{column}'"
        wanted.append(f"{names} (for {column})" if headers else names)
    via = f" (vendor mapping ingestion/mappings/{mapping.name}.yaml)" if mapping else ""
    return f"add the column(s) {', '.join(wanted)} to the export's header{via}; then {REDELIVER}"


def not_loaded(file: str, entity: str, status: str, message: str | None, parse_options: str | None) -> Problem:
    message = message or status
    reason = message.removeprefix(f"{file}: ")
    if status == "failed":
        todo = missing_columns_todo(entity, reason, parse_options) or f"correct what the reason names; then {REDELIVER}"
    else:
        todo = ("to load it, save it as a supported export in its entity folder, landing/<source>/<entity>/ "
                "(README: 'Pointing the pipeline at your own exports'); otherwise remove it from the landing zone")
    unplaced = re.sub(r"^line \d+: ", "", reason)  # the line is the problem's own field
    return Problem(file, f"not loaded ({status}): {unplaced}", todo, line=_line(reason),
                   blocking=status == "failed", found_by="loading")


def over_threshold(file: str, read: int, quarantined: int, threshold: float) -> Problem:
    rule = (f"{quarantined} of {read} rows quarantined ({quarantined / read:.2%}), more than the threshold "
            f"CRM_REJECT_THRESHOLD={threshold:g} ({threshold:.2%}) allows")
    todo = ("correct the quarantined rows listed for this file and save it again (a changed file is loaded on "
            "the next refresh), or raise CRM_REJECT_THRESHOLD if these rows may be left out")
    return Problem(file, rule, todo, found_by="deliveries check")


def unbalanced(con, entities: set[str], threshold: float) -> list[Problem]:
    """Files whose rows do not add up, as the deliveries check judges them (`ingestion.quality`)."""
    found = [m for entity in sorted(entities) for m in delivery_health(con, entity, threshold).unbalanced]
    todo = "the loader lost track of rows: report this with the file; re-save the file to load it again"
    return [Problem(m.split(": ", 1)[0], f"rows do not add up: {m.split(': ', 1)[1]}", todo, found_by="deliveries check")
            for m in found]


def delivery_problems(con, threshold: float, since: datetime | None = None, entity: str | None = None
                      ) -> tuple[list[Problem], list[str]]:
    """Problems of the latest attempt of every file (not loaded ones always, thresholds always), and the
    load ids whose quarantined rows to list: loads since `since` (aware), and every load over the threshold."""
    cutoff = since.astimezone(timezone.utc).replace(tzinfo=None) if since else None  # the ledger's times are UTC
    latest = latest_loads(con, entity)
    problems, quarantine_loads = unbalanced(con, {row[1] for row in latest if row[1]}, threshold), []
    for file, ent, status, message, options, read, quarantined, load_id, loaded_at in latest:
        if status not in FINE:
            problems.append(not_loaded(file, ent, status, message, options))
            continue
        if status != "loaded" or not quarantined:
            continue
        over = quarantined / read > threshold if read else False
        if over:
            problems.append(over_threshold(file, read, quarantined, threshold))
        if over or cutoff is None or loaded_at >= cutoff:
            quarantine_loads.append(load_id)
    return problems, quarantine_loads
