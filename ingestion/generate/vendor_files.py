"""Sample deliveries in vendor export layouts: `write_vendor_samples(out, seed)`.

Real exports from HubSpot, Salesforce, DATEV, savings banks, Meta and LinkedIn do not look like the generic
format; writing small, deterministic files in their layouts lets tests and demos run the
mappings in `ingestion/mappings/` on the shapes users actually drop into the landing zone.
Files whose layout feeds two entities (Meta, LinkedIn posts) are written into both folders,
exactly as a user is told to place them.
"""
from __future__ import annotations

from pathlib import Path

from ingestion.contract import load_contracts
from ingestion.mapping import load_mappings

from . import vendor_datev, vendor_hubspot, vendor_salesforce, vendor_social, vendor_sparkasse
from .rand import stream
from .vendor_export import write_export


def write_vendor_samples(out: Path, seed: int = 42) -> dict[str, list[Path]]:
    """Write one small delivery per vendor layout under `out`; returns the paths per mapping name."""
    entities = {m.name: m.entity for m in load_mappings()}
    contracts = load_contracts()
    written: dict[str, list[Path]] = {}
    exports = [*vendor_hubspot.exports(stream(seed, "vendor:hubspot")), *vendor_salesforce.exports(stream(seed, "vendor:salesforce")),
               *vendor_datev.exports(stream(seed, "vendor:datev")), *vendor_sparkasse.exports(stream(seed, "vendor:sparkasse")),
               *vendor_social.exports(stream(seed, "vendor:social"))]
    for export in exports:
        for mapping in export.mappings:
            contract = contracts[entities[mapping]]
            folder = Path(out) / contract.source / contract.entity
            folder.mkdir(parents=True, exist_ok=True)
            write_export(folder / export.name, export)
            written.setdefault(mapping, []).append(folder / export.name)
    return written
