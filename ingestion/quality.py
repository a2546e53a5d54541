"""Is what an entity's deliveries loaded complete and clean enough to build on?

Checked over every delivery on record, not only this run's. A file that failed its checks is
held back (`ingestion.holdback`): it is listed, but the entity is judged by the deliveries it
builds on, so one bad file does not stop the marts. What still fails the check is a loaded file
over the reject threshold (not held, so its rows would reach staging) or rows that do not add up.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ingestion.ledger import HELD


@dataclass(frozen=True)
class DeliveryHealth:
    entity: str
    files: int
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    rows_skipped: int = 0  # no records of the entity (DATEV revenue bookings): neither loaded nor rejected
    held: list[str] = field(default_factory=list)  # "file: reason", kept out of staging
    over_threshold: list[str] = field(default_factory=list)  # "file: share"
    unbalanced: list[str] = field(default_factory=list)  # read != loaded + quarantined + skipped

    @property
    def passed(self) -> bool:
        return not (self.over_threshold or self.unbalanced)


def delivery_health(con, entity: str, threshold: float) -> DeliveryHealth:
    """Latest attempt of every file of the entity, judged against the reject threshold; the
    share rejected is of the rows meant to load, so skipped rows neither count nor dilute it."""
    rows = con.execute(
        """
        SELECT file, arg_max(status, loaded_at), arg_max(message, loaded_at),
               arg_max(rows_read, loaded_at), arg_max(rows_loaded, loaded_at),
               arg_max(rows_quarantined, loaded_at), coalesce(arg_max(rows_skipped, loaded_at), 0)
        FROM raw._loads WHERE entity = ? GROUP BY file ORDER BY file
        """,
        [entity],
    ).fetchall()
    held, over, unbalanced = [], [], []
    totals = [0, 0, 0, 0]
    for file, status, message, read, loaded, quarantined, skipped in rows:
        if status == HELD:
            held.append(message or file)
            continue
        if status != "loaded":
            continue
        totals = [t + n for t, n in zip(totals, (read, loaded, quarantined, skipped))]
        if read != loaded + quarantined + skipped:
            unbalanced.append(f"{file}: read {read}, loaded {loaded}, quarantined {quarantined}, skipped {skipped}")
        meant = read - skipped
        if meant and quarantined / meant > threshold:
            over.append(f"{file}: {quarantined}/{meant} = {quarantined / meant:.2%} > {threshold:.2%}")
    return DeliveryHealth(entity, len(rows), *totals, held=held, over_threshold=over, unbalanced=unbalanced)
