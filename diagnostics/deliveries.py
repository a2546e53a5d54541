"""Problems from the load ledger: files held back or not loaded, and files that lost too many rows.

The latest attempt of every file counts, as in `ingestion.quality`. A file held back (not
loadable, over the reject threshold, failing the raw suite) stays out of the marts until it is
released (`ingestion.holdback`), so it is listed on every refresh, as a warning: the refresh
published without it. A released file is no problem. A file the loader
ignored or refused is reported once, when the loader records it (`ingestion.landing`), and so it
is listed by the refresh that recorded it. Any status other than `loaded` and `duplicate` (same
content as a file loaded before, by design) is a problem, so a status added to the loader later
is reported without a change here. The loader's messages already say what to do (which vendor
headers to add, which folder a file belongs in); the what-to-do here points at them.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone

from ingestion.holdback import RELEASES
from ingestion.ledger import HELD, RELEASED
from ingestion.quality import delivery_health

from .problem import Problem

FINE = ("loaded", "duplicate", RELEASED)
LATEST = """
SELECT file, entity, arg_max(status, loaded_at), arg_max(message, loaded_at), arg_max(rows_read, loaded_at),
       arg_max(rows_quarantined, loaded_at), coalesce(arg_max(rows_skipped, loaded_at), 0),
       arg_max(load_id, loaded_at), max(loaded_at)
FROM raw._loads {where} GROUP BY file, entity ORDER BY file
"""
REDELIVER = "save the corrected file into the landing zone again: a changed file is loaded on the next refresh"


def latest_loads(con, entity: str | None = None) -> list[tuple]:
    where, params = ("WHERE entity = ?", [entity]) if entity else ("", [])
    return con.execute(LATEST.format(where=where), params).fetchall()


def not_loaded(file: str, status: str, message: str | None) -> Problem:
    reason = (message or status).removeprefix(f"{file}: ")
    line = re.match(r"line (\d+): ", reason)
    reason = reason[line.end():] if line else reason
    line_number = int(line.group(1)) if line else None
    if status == HELD:
        todo = (f"its rows stay out of the marts, which keep the entity's other deliveries. Do what the reason says "
                f"(or correct what it names) in the export; then {REDELIVER}. What releases it: {RELEASES}")
        return Problem(file, f"held back: {reason}", todo, line=line_number, blocking=False, found_by="loading")
    todo = "do what the reason says, or remove the file from the landing zone if it is no delivery"
    return Problem(file, f"not loaded ({status}): {reason}", todo, line=line_number, blocking=False, found_by="loading")


def over_threshold(file: str, meant: int, quarantined: int, threshold: float) -> Problem:
    rule = (f"{quarantined} of {meant} rows quarantined ({quarantined / meant:.2%}), more than the threshold "
            f"CRM_REJECT_THRESHOLD={threshold:g} ({threshold:.2%}) allows")
    todo = ("correct the quarantined rows listed for this file and save it again (a changed file is loaded on "
            "the next refresh), or raise CRM_REJECT_THRESHOLD if these rows may be left out")
    return Problem(file, rule, todo, found_by="deliveries check")


def unbalanced(file: str, counts: str) -> Problem:
    todo = "the loader lost track of rows: report this with the file; re-save the file to load it again"
    return Problem(file, f"rows do not add up: {counts}", todo, found_by="deliveries check")


def _judged(con, entities: set[str], threshold: float) -> tuple[set[str], list[Problem]]:
    """The files over the threshold and the unbalanced ones, as the deliveries check judges them."""
    over, problems = set(), []
    for entity in sorted(entities):
        health = delivery_health(con, entity, threshold)
        over |= {m.rpartition(": ")[0] for m in health.over_threshold}
        problems += [unbalanced(*m.rsplit(": ", 1)) for m in health.unbalanced]
    return over, problems


def delivery_problems(con, threshold: float, since: datetime | None = None, entity: str | None = None
                      ) -> tuple[list[Problem], list[str]]:
    """Problems of the latest attempt of every file, and the load ids whose quarantined rows to list:
    loads since `since` (aware; None: all), and every load over the threshold."""
    cutoff = since.astimezone(timezone.utc).replace(tzinfo=None) if since else None  # the ledger's times are UTC
    latest = latest_loads(con, entity)
    over, problems = _judged(con, {row[1] for row in latest}, threshold)
    quarantine_loads = []
    for file, _, status, message, read, quarantined, skipped, load_id, loaded_at in latest:
        recent = cutoff is None or loaded_at >= cutoff
        if status not in FINE and (status == HELD or recent):
            problems.append(not_loaded(file, status, message))
        if status not in ("loaded", HELD) or not quarantined:
            continue
        if file in over:
            problems.append(over_threshold(file, read - skipped, quarantined, threshold))
        if file in over or status == HELD or recent:
            quarantine_loads.append(load_id)
    return problems, quarantine_loads
