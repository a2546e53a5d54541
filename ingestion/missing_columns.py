"""The message for a delivery that lacks a required column, in the words of the export's tool.

A user fixes an export in the vendor's tool, so the message names the vendor's header names the
mapping accepts ("Last Modified Date"), not only the contract column (`updated_at`). Without a
mapping it names the contract columns and the vendor layouts the header nearly matched.
"""
from __future__ import annotations

from ingestion.contract import Contract
from ingestion.mapping import VendorMapping, load_mappings


def _names(names: tuple[str, ...] | list[str], separator: str = " / ") -> str:
    return separator.join(f'"{n}"' for n in names)


def _with_mapping(mapping: VendorMapping, missing: list[str]) -> str:
    asks = []
    for column in missing:
        accepted = mapping.accepted_headers(column) or (column,)
        add = f"add the column {_names(accepted)}" if len(accepted) == 1 else f"add one of the columns {_names(accepted)}"
        asks.append(f'required column "{column}" missing: {add} to the {mapping.vendor} export')
    return "; ".join(asks) + f" (mapping ingestion/mappings/{mapping.name}.yaml)"


def _near_mappings(entity: str, header: list[str]) -> list[str]:
    """Mappings of the entity whose match the header meets in part, with what it lacks."""
    near = []
    for mapping in load_mappings():
        lacking = [group for group in mapping.match if not any(name in header for name in group)]
        if mapping.entity == entity and 0 < len(lacking) < len(mapping.match):
            near.append(f"{mapping.vendor} ({mapping.name}) also needs " + " and ".join(_names(g) for g in lacking))
    return near


def _without_mapping(contract: Contract, header: list[str], missing: list[str]) -> str:
    required = [c.name for c in contract.columns if c.required]
    text = (f"required column(s) {_names(missing, ', ')} missing: the header needs the columns {_names(required, ', ')} "
            f"(contract ingestion/contracts/{contract.entity}.yaml)")
    near = _near_mappings(contract.entity, header)
    return text + ("; or, for a vendor export: " + "; ".join(near) if near else "")


def missing_columns_message(label: str, line: int, contract: Contract, mapping: VendorMapping | None,
                            header: list[str], missing: list[str]) -> str:
    reason = _with_mapping(mapping, missing) if mapping else _without_mapping(contract, header, missing)
    return f"{label}: line {line}: {reason}"
