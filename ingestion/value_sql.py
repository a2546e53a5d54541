"""SQL for one value of a delivery as a mapping reads it: trimmed, translated, matched by its
words, dated by the preamble's year, hashed into a key, signed by a debit/credit flag.

Every name or value from a file or a mapping enters this SQL as a quoted literal or as a
positional column `c<i>`.
"""
from __future__ import annotations

import re

from ingestion.contract import Column
from ingestion.mapping import DerivedKey, ValueRule, VendorMapping
from ingestion.parsing import quote_literal


def text_of(index: int) -> str:
    """Trimmed text, NULL when empty. trim() copies every value, so it runs only on values with
    a leading or trailing space (the only character it removes)."""
    c = f"c{index}"
    return f"CASE WHEN prefix({c}, ' ') OR suffix({c}, ' ') THEN NULLIF(trim({c}), '') ELSE NULLIF({c}, '') END"


def _translated_sql(text: str, translations: dict[str, str]) -> str:
    if not translations:
        return text
    whens = " ".join(f"WHEN {quote_literal(a)} THEN {quote_literal(b)}" for a, b in translations.items())
    return f"CASE {text} {whens} ELSE {text} END"


def _word_pattern(words: tuple[str, ...]) -> str:
    return r"(?i)\b(" + "|".join(re.escape(w) for w in words) + r")\b"


def _with_unknown_values(text: str, translated: str, known: list[str], rules: tuple[ValueRule, ...]) -> str:
    """Known values (listed by the mapping or already contract values) as translated; any other
    value by the first word rule it matches, or by the catch-all rule, else left as it is."""
    listed = ", ".join(quote_literal(v) for v in known)
    whens = " ".join(
        f"WHEN regexp_matches({text}, {quote_literal(_word_pattern(r.words))}) THEN {quote_literal(r.value)}"
        for r in rules if r.words
    )
    rest = next((quote_literal(r.value) for r in rules if not r.words), text)
    return f"CASE WHEN {text} IS NULL OR {text} IN ({listed}) THEN {translated} {whens} ELSE {rest} END"


def _with_preamble_year(text: str, fiscal_year_start: str) -> str:
    """`DDMM` (leading zero optional) -> `DDMMYYYY`, the year taken from the fiscal year start;
    other text is left alone, so it fails to parse and quarantines its row."""
    year, start = int(fiscal_year_start[:4]), fiscal_year_start[4:8]
    ddmm = f"lpad({text}, 4, '0')"
    year_sql = (f"CASE WHEN substr({ddmm}, 3, 2) || substr({ddmm}, 1, 2) < {quote_literal(start)} "
                f"THEN {quote_literal(str(year + 1))} ELSE {quote_literal(str(year))} END")
    return f"CASE WHEN regexp_full_match({text}, '\\d{{3,4}}') THEN {ddmm} || {year_sql} ELSE {text} END"


def derived_key_text(key: DerivedKey, position: dict[str, int]) -> str:
    joined = f"concat_ws({quote_literal(key.separator)}, " + ", ".join(f"coalesce(trim(c{position[c]}), '')" for c in key.columns) + ")"
    return f"md5({joined})" if key.how == "md5" else joined


def sign_factor(mapping: VendorMapping | None, name: str, position: dict[str, int]) -> str | None:
    rule = mapping.signs.get(name) if mapping else None
    if rule is None or rule.flag_column not in position:
        return None
    negatives = ", ".join(quote_literal(v) for v in rule.negative)
    return f"(CASE WHEN trim(c{position[rule.flag_column]}) IN ({negatives}) THEN -1 ELSE 1 END)"


def value_text(column: Column, index: int, mapping: VendorMapping | None) -> str:
    """The column's trimmed text at `index` as the mapping reads it."""
    text = text_of(index)
    if mapping is None:
        return text
    translated = _translated_sql(text, mapping.values.get(column.name, {}))
    if column.name in mapping.unknown_values:
        known = [*mapping.values.get(column.name, {}), *(column.allowed or ())]
        translated = _with_unknown_values(text, translated, known, mapping.unknown_values[column.name])
    if column.type == "date" and mapping.year_from_preamble and mapping.fiscal_year_start:
        translated = _with_preamble_year(translated, mapping.fiscal_year_start)
    return translated
