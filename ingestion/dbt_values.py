"""The values each contract allows in a column, as the dbt macro the staging tests call.

A staging model's `accepted_values` test says `values: "{{ contract_allowed('orders', 'status') }}"`
instead of repeating the list: the macro below is written from the contracts, and dbt renders the
call when it compiles the test. The manifest keeps the call unrendered; `test_values` turns it
back into the list (`accepted_values`) for the Python that reads test arguments from the manifest.
"""
from __future__ import annotations

import json
import re

from ingestion.contract import Contract, load_contracts
from ingestion.dbt_sources import NOTICE

MACRO = "contract_allowed"
_CALL = re.compile(r"^\{\{\s*" + MACRO + r"\(\s*'(\w+)'\s*,\s*'(\w+)'\s*\)\s*\}\}$")


def macro_sql(contracts: list[Contract]) -> str:
    """`contract_allowed(entity, column)`: the column's allowed values; a compile error for a column without any."""
    allowed = {c.entity: {col.name: list(col.allowed) for col in c.columns if col.allowed} for c in contracts}
    entries = ",\n".join(f"    {json.dumps(entity)}: {json.dumps(columns)}" for entity, columns in allowed.items() if columns)
    return (f"{{#- {NOTICE} -#}}\n"
            f"{{% macro {MACRO}(entity, column) %}}\n"
            f"  {{%- set allowed = {{\n{entries}\n  }} -%}}\n"
            "  {%- if column not in allowed.get(entity, {}) -%}\n"
            "    {{ exceptions.raise_compiler_error('" + MACRO + "(' ~ entity ~ ', ' ~ column ~ '): ingestion/contracts/'"
            " ~ entity ~ '.yaml allows no values for that column; name a column with `allowed:` values') }}\n"
            "  {%- endif -%}\n"
            "  {{ return(allowed[entity][column]) }}\n"
            "{% endmacro %}\n")


def accepted_values(values: list | str) -> tuple[str, ...]:
    """The values of an `accepted_values` test as the manifest holds them: a list, or the macro call."""
    if not isinstance(values, str):
        return tuple(str(v) for v in values)
    call = _CALL.match(values.strip())
    contract = load_contracts().get(call.group(1)) if call else None
    allowed = next((c.allowed for c in contract.columns if c.name == call.group(2)), None) if contract else None
    if not allowed:
        raise ValueError(f"accepted_values {values!r}: write a list, or {{{{ {MACRO}('<entity>', '<column>') }}}} "
                         "naming a contract column with `allowed:` values")
    return allowed
