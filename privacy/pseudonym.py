"""The keyed pseudonym of a value, identical to the dbt macro `pseudonymize`.

Python needs it where a person must be referred to without naming them (the erasure audit) and
to find a person's rows in the pseudonymized layers. See dbt_project/macros/pseudonymize.sql for
why it is a keyed double hash and not an RFC 2104 HMAC.
"""
from __future__ import annotations

import hashlib
import os

KEY_VARIABLE = "CRM_PSEUDONYM_KEY"
DEVELOPMENT_KEY = "crm-development-pseudonym-key-not-secret"


def pseudonym_key(environ: dict[str, str] | None = None) -> str:
    env = os.environ if environ is None else environ
    return env.get(KEY_VARIABLE, DEVELOPMENT_KEY)


def _sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def pseudonymize(value: str | None, key: str | None = None) -> str | None:
    """sha256(key || '|' || sha256(key || '|' || value)) as hex; None stays None."""
    if value is None:
        return None
    key = pseudonym_key() if key is None else key
    return _sha256_hex(f"{key}|{_sha256_hex(f'{key}|{value}')}")


def email_hash(email: str | None, key: str | None = None) -> str | None:
    """The identity link key: pseudonym of the trimmed, lower-cased address (empty -> None)."""
    normalized = (email or "").strip().lower()
    return pseudonymize(normalized, key) if normalized else None
