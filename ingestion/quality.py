"""Is what an entity's deliveries loaded complete and clean enough to build on?

Checked over every delivery on record, not only this run's, so a bad file keeps blocking the
marts until it is fixed or replaced instead of slipping through on the next rerun.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DeliveryHealth:
    entity: str
    files: int
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    rows_skipped: int = 0  # no records of the entity (DATEV revenue bookings): neither loaded nor rejected
    failed: list[str] = field(default_factory=list)  # "file: reason"
    over_threshold: list[str] = field(default_factory=list)  # "file: share"
    unbalanced: list[str] = field(default_factory=list)  # read != loaded + quarantined + skipped

    @property
    def passed(self) -> bool:
        return not (self.failed or self.over_threshold or self.unbalanced)


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
    failed, over, unbalanced = [], [], []
    totals = [0, 0, 0, 0]
    for file, status, message, read, loaded, quarantined, skipped in rows:
        if status == "failed":
            failed.append(message or file)
            continue
        if status != "loaded":
            continue
        totals = [t + n for t, n in zip(totals, (read, loaded, quarantined, skipped))]
        if read != loaded + quarantined + skipped:
            unbalanced.append(f"{file}: read {read}, loaded {loaded}, quarantined {quarantined}, skipped {skipped}")
        meant = read - skipped
        if meant and quarantined / meant > threshold:
            over.append(f"{file}: {quarantined}/{meant} = {quarantined / meant:.2%} > {threshold:.2%}")
    return DeliveryHealth(entity, len(rows), *totals, failed=failed, over_threshold=over, unbalanced=unbalanced)
