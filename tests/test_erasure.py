"""Erasure on request: after `python -m privacy.erase --customer-id ...` nothing of that customer
remains in the landing files, raw, staging, intermediate, marts, the serving copy or the report;
the rebuild is the normal refresh, so every dbt test (reconciliation included) and Great
Expectations suite ran on what remains; the audit names the customer by pseudonym only; a rerun
loads nothing again."""
from __future__ import annotations

import gzip
import json

import dagster as dg
import duckdb
import pytest

from expectations.docs import build_data_docs
from expectations.outcomes import ExpectationOutcome, SuiteResult
from expectations.store import ERASED, new_run_id, write_result
from privacy.pseudonym import pseudonymize
from tests.privacy_pipeline import clean_build, copy_data_dir, load_landing, run_module, settings_for  # noqa: F401


def _customer(db):
    """The customer with the most orders, and everything that identifies them."""
    with duckdb.connect(str(db), read_only=True) as con:
        customer_id = con.execute(
            "SELECT o.customer_id FROM raw.orders o JOIN raw.customers c USING (customer_id) "
            "WHERE c.email IS NOT NULL AND c.phone IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1").fetchall()[0][0]
        name, email, phone = con.execute(
            "SELECT customer_name, email, phone FROM raw.customers WHERE customer_id = ? LIMIT 1", [customer_id]).fetchall()[0]
        orders = [r[0] for r in con.execute("SELECT DISTINCT order_id FROM raw.orders WHERE customer_id = ?", [customer_id]).fetchall()]
        fct_orders = con.execute("SELECT count(*) FROM marts.fct_orders WHERE customer_id = ?", [customer_id]).fetchall()[0][0]
        total_orders = con.execute("SELECT count(*) FROM marts.fct_orders").fetchall()[0][0]
    return {"id": customer_id, "name": name, "email": email, "phone": phone, "orders": orders,
            "fct_orders": fct_orders, "total_orders": total_orders}


def _all_text(con, schemas):
    rows = con.execute(
        "SELECT table_schema, table_name, column_name FROM information_schema.columns WHERE data_type = 'VARCHAR' "
        f"AND table_schema IN ({', '.join('?' for _ in schemas)})", list(schemas)).fetchall()
    for schema, table, column in rows:
        for (value,) in con.execute(f'SELECT DISTINCT "{column}" FROM "{schema}"."{table}" WHERE "{column}" IS NOT NULL').fetchall():
            yield f"{schema}.{table}.{column}", value


def _hits(pairs, needles):
    return sorted({where for where, value in pairs if any(n in value.lower() for n in needles)})


UNRELATED = "C-UNRELATED-7"


def plant_validation_samples(settings, person) -> None:
    """Stored results whose samples hold the person's id, e-mail (as another export spells it) and
    an order id beside someone else's value, and the Data Docs built from them."""
    samples = (person["id"], f" {person['email'].upper()} ", person["orders"][0], UNRELATED, None)
    outcome = ExpectationOutcome("expect_column_values_to_be_in_set", "customer_id", False, 5, 9, samples)
    result = SuiteResult("raw.orders", False, 1, 1, 9, (outcome,), run_id=new_run_id("planted"), scope="planted")
    write_result(result, settings.validations_dir)
    build_data_docs(settings.validations_dir, settings.data_docs_dir)


@pytest.fixture(scope="module")
def erased(clean_build, tmp_path_factory):
    data_dir = copy_data_dir(clean_build, tmp_path_factory.mktemp("h8-erase") / "data")
    person = _customer(data_dir / "warehouse.duckdb")
    plant_validation_samples(settings_for(data_dir), person)
    done = run_module("privacy.erase", data_dir, "--customer-id", person["id"], "--email", person["email"].upper(),
                      timeout=1800)  # the whole refresh, every daily partition, checks and report included
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "Refresh succeeded: published" in done.stdout and "marts rebuilt and republished" in done.stdout, done.stdout
    return data_dir, person


def _needles(person):
    return [n.lower() for n in (person["id"], person["email"], person["name"], person["phone"], *person["orders"])]


def test_nothing_of_the_customer_remains_in_the_warehouse(erased):
    data_dir, person = erased
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as con:
        found = _hits(_all_text(con, ("raw", "staging", "intermediate", "marts")), _needles(person))
    assert found == []


def test_nothing_of_the_customer_remains_in_the_serving_copy(erased):
    data_dir, person = erased
    with duckdb.connect(str(data_dir / "serving" / "serving.duckdb"), read_only=True) as con:
        assert _hits(_all_text(con, ("marts",)), _needles(person)) == []


def test_nothing_of_the_customer_remains_in_the_landing_files(erased):
    data_dir, person = erased
    needles = [n.encode("utf-8") for n in (person["id"], person["email"], person["name"])]
    needles += [person["name"].encode("cp1252", errors="ignore")]
    found = []
    for path in (data_dir / "landing").rglob("*"):
        if path.is_file():
            data = gzip.decompress(path.read_bytes()) if path.name.endswith(".gz") else path.read_bytes()
            found += [path.name for n in needles if n and n.lower() in data.lower()]
    assert found == []
    assert not list((data_dir / "landing").rglob("*.erasing"))


def test_nothing_of_the_customer_remains_in_validation_results_or_data_docs(erased):
    data_dir, person = erased
    settings = settings_for(data_dir)
    [stored] = [p for p in settings.validations_dir.glob("*/*.json") if "planted" in p.name]
    [outcome] = json.loads(stored.read_text(encoding="utf-8"))["outcomes"]
    assert outcome["sample"] == [ERASED, ERASED, ERASED, UNRELATED, None]
    texts = [p.read_text(encoding="utf-8").lower() for p in settings.validations_dir.glob("*/*.json")]
    docs = (settings.data_docs_dir / "index.html").read_text(encoding="utf-8").lower()
    assert [n for n in _needles(person) if any(n in text for text in [*texts, docs])] == []
    assert UNRELATED.lower() in docs and ERASED in docs


def test_the_rebuild_is_the_refresh_with_its_checks_publishing_and_report(erased):
    from orchestration.dbt_assets import FULL_REFRESH_TAG

    data_dir, person = erased
    with dg.DagsterInstance.from_config(str(data_dir / "dagster_home")) as instance:
        [run] = instance.get_runs()
        checks = [e.dagster_event.event_specific_data
                  for e in instance.all_logs(run.run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION)]
        built = {e.dagster_event.asset_key
                 for e in instance.all_logs(run.run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION)}
    assert run.status == dg.DagsterRunStatus.SUCCESS and run.tags.get(FULL_REFRESH_TAG) == "true"
    dbt_checks = [c for c in checks if c.asset_key.path[0] in ("staging", "marts")]
    assert dbt_checks and all(c.passed for c in checks), [c.asset_check_key for c in checks if not c.passed]
    assert {dg.AssetKey(["serving", "serving_copy"]), dg.AssetKey(["marts", "fct_orders"])} <= built
    report = (settings_for(data_dir).reports_dir / "kpi_report.html").read_text(encoding="utf-8").lower()
    assert [n for n in _needles(person) if n in report] == []


def test_marts_are_rebuilt_from_what_remains(erased):
    data_dir, person = erased
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as con:
        remaining = con.execute("SELECT count(*) FROM marts.fct_orders").fetchall()[0][0]
        unbalanced = con.execute("SELECT count(*) FROM raw._loads WHERE status = 'loaded' "
                                 "AND rows_read != rows_loaded + rows_quarantined + rows_skipped").fetchall()[0][0]
    assert person["fct_orders"] > 0
    assert remaining == person["total_orders"] - person["fct_orders"]
    assert unbalanced == 0


def test_the_audit_names_the_customer_by_pseudonym_only(erased):
    data_dir, person = erased
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as con:
        rows = con.execute("SELECT customer_pseudonym, rows_removed, files_rewritten FROM raw._erasures").fetchall()
    [(pseudonym, removed, files)] = rows
    assert pseudonym == pseudonymize(person["id"])
    removed = json.loads(removed)
    assert removed["raw.customers"] >= 1 and removed["raw.orders"] == len(person["orders"])
    assert removed["raw.order_lines"] >= 1 and removed["raw.bank_transactions"] >= 1
    [line] = (data_dir / "audit" / "erasures.jsonl").read_text(encoding="utf-8").splitlines()
    entry = json.loads(line)
    assert entry["customer_pseudonym"] == pseudonym and entry["status"] == "completed"
    assert entry["files_rewritten"] == json.loads(files)
    text = line.lower() + str(rows).lower()
    assert not any(n in text for n in _needles(person))


def test_a_rerun_loads_no_rewritten_file_again(erased):
    data_dir, _ = erased
    assert load_landing(settings_for(data_dir)) == []
