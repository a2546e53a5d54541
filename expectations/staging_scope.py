"""Which staging rows a night's validation covers: those of the deliveries not yet validated.

Staging models are built from raw tables that grow by every delivery and can hold tens of
millions of rows; validating all of them every night would cost time in proportion to the
history, not to what arrived. Every staging row keeps the delivery file it came from (`_file`, the lineage columns),
and `raw._loads` records every loaded file, so a model is validated on the rows of the files
loaded since its last passing validation. Those loads are recorded in
`validation.staging_loads` in the warehouse itself, so a rebuilt warehouse starts from scratch;
a failed validation records nothing and its files are validated again next time.
"""
from __future__ import annotations

from dataclasses import dataclass

from .state import ensure_state

# The rows of the pending files (parameter: the list of their names), as a predicate on the model.
SCOPE_FILTER = "list_contains(?, _file)"


@dataclass(frozen=True)
class PendingLoads:
    load_ids: tuple[str, ...]
    files: tuple[str, ...]

    def describe(self) -> str:
        if not self.files:
            return "no new deliveries"
        return f"{len(self.files)} new deliver{'y' if len(self.files) == 1 else 'ies'}: {', '.join(self.files[:3])}" + (
            ", …" if len(self.files) > 3 else "")


def pending_loads(con, model: str, entity: str) -> PendingLoads:
    """Loaded files of `entity` whose rows `model` has not passed a validation on."""
    ensure_state(con)
    rows = con.execute(
        "SELECT load_id, file FROM raw._loads WHERE entity = ? AND status = 'loaded' AND load_id NOT IN "
        "(SELECT load_id FROM validation.staging_loads WHERE model = ?) ORDER BY loaded_at, file",
        [entity, model],
    ).fetchall()
    return PendingLoads(tuple(r[0] for r in rows), tuple(dict.fromkeys(r[1] for r in rows)))


def record_validated(con, model: str, pending: PendingLoads, run_id: str) -> None:
    if pending.load_ids:
        con.executemany(
            "INSERT INTO validation.staging_loads VALUES (?, ?, ?, now()::TIMESTAMP)",
            [[model, load_id, run_id] for load_id in pending.load_ids],
        )
