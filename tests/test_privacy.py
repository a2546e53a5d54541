"""No clear personal data past raw: staging, intermediate and marts of a warehouse built from the
sample, and the serving copy (DuckDB and Parquet), hold no e-mail address, no IBAN and none of the
names, addresses and phone numbers found in the landing files. Identity links use the keyed hash."""
from __future__ import annotations

import csv
import hashlib
import io
import re
from pathlib import Path

import duckdb
import pytest

from ingestion.detect import detect_options
from ingestion.formats import open_binary
from privacy.pseudonym import email_hash, pseudonymize

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")
IBAN = re.compile(r"\b[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]{4}){3,7}(?: ?[A-Z0-9]{1,4})?\b")
PERSONAL_COLUMNS = {"customer_name", "email", "phone", "counterparty", "counterparty_iban", "owner", "agent"}


def landing_personal_values(landing: Path) -> set[str]:
    """Every personal value in the delivery files (names, e-mails, phones, full contact names)."""
    found: set[str] = set()
    for path in landing.rglob("*.csv*"):
        options = detect_options(path)
        with open_binary(path) as fh:
            rows = list(csv.DictReader(io.StringIO(fh.read().decode(options.encoding)), delimiter=options.delimiter))
        for row in rows:
            # single first or last names ("Winter") are common words: only full names are searched
            found.update(v.strip() for k, v in row.items() if k in PERSONAL_COLUMNS and v and len(v.strip()) >= 5)
            if row.get("first_name") and row.get("last_name"):
                found.add(f"{row['first_name']} {row['last_name']}")
    return found


def text_values(con, relation: str) -> list[str]:
    columns = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall() if r[1] == "VARCHAR"]
    values = []
    for column in columns:
        values += [r[0] for r in con.execute(f'SELECT DISTINCT "{column}" FROM {relation} WHERE "{column}" IS NOT NULL').fetchall()]
    return values


def leaks(values: list[str], personal: set[str]) -> list[str]:
    lowered = {p.lower() for p in personal}
    found = []
    for value in values:
        text = value.lower()
        if EMAIL.search(value) or IBAN.search(value) or any(p in text for p in lowered):
            found.append(value)
    return found


def relations(con, schemas: tuple[str, ...]) -> list[str]:
    return [f'"{s}"."{t}"' for s, t in con.execute(
        "SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema IN "
        f"({', '.join('?' for _ in schemas)}) ORDER BY 1, 2", list(schemas)).fetchall()]


@pytest.fixture(scope="module")
def personal(built_sample) -> set[str]:
    values = landing_personal_values(built_sample / "landing")
    assert len(values) > 50, "the sample should carry personal data to look for"
    return values


def test_the_scan_would_see_personal_data_in_raw(built_sample, personal):
    with duckdb.connect(str(built_sample / "warehouse.duckdb"), read_only=True) as con:
        assert leaks(text_values(con, "raw.customers"), personal)


def test_staging_intermediate_and_marts_hold_no_clear_personal_data(built_sample, personal):
    with duckdb.connect(str(built_sample / "warehouse.duckdb"), read_only=True) as con:
        scanned = relations(con, ("staging", "intermediate", "marts"))
        assert len(scanned) > 20
        found = {r: leaks(text_values(con, r), personal)[:3] for r in scanned}
    assert {r: v for r, v in found.items() if v} == {}


def test_serving_copy_and_parquet_hold_no_clear_personal_data(built_sample, personal):
    serving = built_sample / "serving"
    with duckdb.connect(str(serving / "serving.duckdb"), read_only=True) as con:
        found = {r: leaks(text_values(con, r), personal)[:3] for r in relations(con, ("marts",))}
    with duckdb.connect() as con:
        for parquet in sorted((serving / "parquet").glob("*.parquet")):
            found[parquet.name] = leaks(text_values(con, f"read_parquet('{parquet}')"), personal)[:3]
    assert len(found) > 2
    assert {r: v for r, v in found.items() if v} == {}


def test_identity_links_use_the_keyed_hash_of_the_normalised_email(built_sample):
    with duckdb.connect(str(built_sample / "warehouse.duckdb"), read_only=True) as con:
        raw = dict(con.execute("SELECT customer_id, arg_max(email, updated_at) FROM raw.customers GROUP BY 1").fetchall())
        staged = dict(con.execute("SELECT customer_id, email_hash FROM staging.stg_crm__customers").fetchall())
        names = dict(con.execute("SELECT customer_id, customer_name_pseudonym FROM staging.stg_crm__customers").fetchall())
        raw_names = dict(con.execute("SELECT customer_id, arg_max(customer_name, updated_at) FROM raw.customers GROUP BY 1").fetchall())
    assert staged and all(staged[c] == email_hash(f"  {raw[c].upper()} ") for c in staged if raw[c])
    assert all(names[c] == pseudonymize(raw_names[c]) for c in names)
    unkeyed = {hashlib.sha256(raw[c].strip().lower().encode()).hexdigest() for c in raw if raw[c]}
    assert not unkeyed & set(staged.values())


def test_the_pseudonym_depends_on_the_key():
    assert pseudonymize("C000001", key="one") != pseudonymize("C000001", key="two")
    assert pseudonymize(None) is None and email_hash("  ") is None


def test_validation_samples_of_personal_columns_are_withheld():
    """A raw suite's unexpected values of `pii: true` columns never reach a result (and so neither
    the stored results, the Data Docs nor the asset check metadata); other columns' values do."""
    import great_expectations as gx
    import pandas as pd
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    from expectations.context import validate_frame
    from expectations.merge import ChunkMerger
    from expectations.personal import WITHHELD
    from expectations.suites import expectation

    configs = [expectation("expect_column_values_to_match_regex", column=c, regex="^ok") for c in ("customer_id", "email")]
    suite = gx.ExpectationSuite(name="raw.customers",
                                expectations=[ExpectationConfiguration(**c).to_domain_obj() for c in configs])
    frame = pd.DataFrame({"customer_id": ["ok-1", "C-77"], "email": ["ok@example.org", "anna.berg@example.org"]})
    merger = ChunkMerger(suite)
    merger.add(validate_frame(frame, suite), len(frame))
    samples = {o.column: o.sample for o in merger.result("raw.customers", run_id="test").outcomes}
    assert samples == {"customer_id": ("C-77",), "email": (WITHHELD,)}
