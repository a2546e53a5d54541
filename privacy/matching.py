"""What identifies one person's records, as plain strings, so raw tables and delivery files are
filtered by the same rule.

A record belongs to the person when one of its fields equals a token (customer id, e-mail, name,
phone, and the ids of their orders, contacts, tickets, deals, quotes, contracts, sessions, payment
references), or when a free-text field contains a fragment (their e-mail addresses and payment
references, as they appear in bank purpose texts). Names match whole fields only: a name inside
another text could belong to someone else.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Identifiers:
    tokens: set[str] = field(default_factory=set)  # lower-cased, trimmed whole-field values
    fragments: set[str] = field(default_factory=set)  # lower-cased substrings of free text

    def add_token(self, value) -> bool:
        text = str(value).strip().lower() if value is not None else ""
        if not text or text in self.tokens:
            return False
        self.tokens.add(text)
        return True

    def add_fragment(self, value) -> None:
        text = str(value).strip().lower() if value is not None else ""
        if len(text) >= 6:  # shorter fragments would match unrelated text
            self.fragments.add(text)

    def matches(self, values) -> bool:
        for value in values:
            if value is None:
                continue
            text = str(value).strip().lower()
            if text in self.tokens or any(f in text for f in self.fragments):
                return True
        return False
