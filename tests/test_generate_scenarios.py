"""Planted scenarios: each plant has the effect and the decomposition it claims, computed with
pandas from the generated files (not the dbt models) against an unplanted run of the same seed,
and changes nothing else. The truth (month, dimension, value, size) is read from the manifest."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from ingestion.contract import load_contracts
from ingestion.generate import generate, manifest_path
from ingestion.generate.__main__ import main
from ingestion.generate.profiles import DE_ENTITIES

CONTRACTS = load_contracts()
SAMPLE = {"seed": 42, "customers": 1000, "start": date(2025, 7, 1)}  # enough answers and sessions per month


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> tuple[Path, Path]:
    baseline, planted = tmp_path_factory.mktemp("baseline"), tmp_path_factory.mktemp("planted")
    generate(baseline, **SAMPLE)
    generate(planted, **SAMPLE, scenarios=["all"])
    return baseline, planted


@pytest.fixture(scope="module")
def truth(runs) -> dict:
    document = json.loads(manifest_path(runs[1]).read_text(encoding="utf-8"))
    return document | {s["id"]: s for s in document["scenarios"]}


def frame(root: Path, entity: str, month: str | None = None) -> pd.DataFrame:
    """The delivery files of `entity` (of one month, YYYY-MM, if given) as text columns, with the
    delivery month of each row."""
    de = entity in DE_ENTITIES
    parts = [pd.read_csv(path, sep=";" if de else ",", encoding="cp1252" if de else "utf-8", dtype=str,
                         keep_default_na=False).assign(month=path.name.split("_")[-1][:7])
             for path in sorted((root / CONTRACTS[entity].source / entity).iterdir())]
    rows = pd.concat(parts, ignore_index=True)
    return rows if month is None else rows[rows.month == month]


def amount(values: pd.Series) -> pd.Series:
    """German decimal text (1.234,56) as numbers."""
    return pd.to_numeric(values.str.replace(".", "", regex=False).str.replace(",", ".", regex=False))


def nps(scores: pd.Series) -> float:
    return 100 * ((scores >= 9).mean() - (scores <= 6).mean())


def nps_by_region(root: Path, month: str) -> pd.DataFrame:
    """NPS answers of `month` with the answering customer's region (by id, else by the typed e-mail)."""
    customers = frame(root, "customers").sort_values("updated_at")
    region = customers.drop_duplicates("customer_id", keep="last").set_index("customer_id")["region"]
    by_email = customers.assign(email=customers.email.str.lower()).drop_duplicates("email", keep="last")
    answers = frame(root, "survey_responses", month).query("survey_type == 'nps'")
    typed = answers.email.str.strip().str.lower().map(by_email.set_index("email")["customer_id"])
    who = answers.customer_id.where(answers.customer_id != "", typed)
    return answers.assign(region=who.map(region), score=answers.score.astype(int)).dropna(subset=["region"])


def test_manifest_names_each_plant_with_a_month_whose_kpi_is_final(truth):
    assert [s["id"] for s in truth["scenarios"]] == ["nps_region_service", "conversion_mix_shift",
                                                     "category_revenue_dip", "cost_spike", "immature_last_month"]
    assert truth["export_end"] == "2025-12-05"  # immature_last_month cuts the export on day 5
    assert truth["immature_last_month"]["month"] == "2025-12"
    # lag 0 days: the last complete month; revenue (lag 30 days): the month before it
    assert {s: truth[s]["month"] for s in ("nps_region_service", "conversion_mix_shift", "cost_spike")} == \
        dict.fromkeys(("nps_region_service", "conversion_mix_shift", "cost_spike"), "2025-11")
    assert truth["category_revenue_dip"]["month"] == "2025-10"


def test_only_the_planted_entities_change_from_the_planted_month_on(runs, truth):
    baseline, planted = runs
    months = {s["id"]: s["month"] for s in truth["scenarios"]}
    cut = truth["immature_last_month"]["month"]
    changed = set()
    for path in sorted(p for p in planted.rglob("*.csv*")):
        other = baseline / path.relative_to(planted)
        if path.read_bytes() != other.read_bytes():
            changed.add((path.parent.name, path.name.split("_")[-1][:7]))
    allowed = {(entity, month) for entity, month in changed
               if month >= cut or any(entity in s["entities"] and month >= months[s["id"]] for s in truth["scenarios"])}
    assert changed and changed == allowed
    assert {e for e, m in changed if m < cut} == {"tickets", "survey_responses", "web_sessions", "web_events",
                                                   "order_lines", "returns", "bank_transactions", "cost_bookings"}


def test_nps_fall_is_a_rate_fall_inside_the_planted_region(runs, truth):
    plant = truth["nps_region_service"]
    before, after = (nps_by_region(root, plant["month"]) for root in runs)
    region = plant["value"]
    assert before.groupby("region").size().to_dict() == after.groupby("region").size().to_dict()  # mix unchanged
    change = after.groupby("region").score.apply(nps) - before.groupby("region").score.apply(nps)
    assert change[region] <= -30
    assert (change.drop(region).abs() <= 5).all()  # customers who moved region this month blur it slightly
    assert nps(after.score) < nps(before.score) - 5


def test_nps_fall_comes_with_more_and_slower_complaints_in_the_planted_region(runs, truth):
    plant = truth["nps_region_service"]
    month, region = plant["month"], plant["value"]
    seen = []
    for root in runs:
        customers = frame(root, "customers").sort_values("updated_at").drop_duplicates("customer_id", keep="last")
        tickets = frame(root, "tickets").sort_values("updated_at").drop_duplicates("ticket_id", keep="last")
        tickets = tickets[(tickets.ticket_type == "complaint") & tickets.created_at.str.startswith(month)]
        tickets = tickets.merge(customers[["customer_id", "region"]], on="customer_id")
        hours = (pd.to_datetime(tickets.resolved_at) - pd.to_datetime(tickets.created_at)).dt.total_seconds() / 3600
        seen.append(tickets.assign(hours=hours).groupby(tickets.region == region).agg(n=("hours", "size"),
                                                                                       hours=("hours", "median")))
    before, after = seen
    assert after.loc[True, "n"] >= before.loc[True, "n"] * 1.5
    assert after.loc[True, "hours"] >= before.loc[True, "hours"] * 1.3
    assert after.loc[False, "n"] == before.loc[False, "n"]


def test_conversion_fall_is_pure_mix_towards_a_source_that_never_converts(runs, truth):
    plant = truth["conversion_mix_shift"]
    rates = []
    for root in runs:
        sessions = frame(root, "web_sessions", plant["month"])
        bought = set(frame(root, "web_events").query("event_name == 'purchase'").session_id)
        sessions = sessions.assign(converted=sessions.session_id.isin(bought))
        rates.append((sessions.groupby(["source", "medium"]).converted.agg(["size", "sum"]), sessions.converted.mean()))
    (before, overall_before), (after, overall_after) = rates
    portal = after.loc[plant["value"]]
    assert portal["sum"].sum() == 0  # the portal's own rate: zero
    assert after.drop(index=plant["value"]).equals(before)  # every other source: same sessions, same conversions
    share = portal["size"].sum() / after["size"].sum()
    assert share >= 0.2
    assert overall_after == pytest.approx(overall_before * (1 - share))


def test_revenue_dip_is_all_in_the_planted_category(runs, truth):
    plant = truth["category_revenue_dip"]
    revenue = []
    for root in runs:
        lines = frame(root, "order_lines", plant["month"])
        value = lines.quantity.astype(int) * amount(lines.net_unit_price)
        revenue.append(value.groupby(lines.product_category).sum())
    before, after = revenue
    category = plant["value"]
    assert after.drop(category).equals(before.drop(category))
    assert after[category] == pytest.approx(before[category] * plant["size"]["price_factor"], rel=0.01)
    assert (before - after)[category] >= 0.1 * before.sum()  # large enough to show in total revenue


def test_cost_spike_is_all_in_the_planted_cost_category(runs, truth):
    plant = truth["cost_spike"]
    costs = []
    for root in runs:
        bookings = frame(root, "cost_bookings", plant["month"])
        costs.append(amount(bookings.amount).groupby(bookings.cost_category).sum())
    before, after = costs
    category = plant["value"]
    assert after.drop(category).equals(before.drop(category))
    assert after[category] >= before[category] * 1.5
    assert (after - before)[category] >= 0.05 * before.sum()


def test_immature_last_month_ends_early_and_lacks_the_late_payments(runs, truth):
    baseline, planted = runs
    stub, end = truth["immature_last_month"]["month"], truth["export_end"]
    orders = frame(planted, "orders")
    assert orders[orders.month == stub].ordered_at.map(lambda t: t[6:10] + t[3:5] + t[:2]).max() <= end.replace("-", "")
    previous = sorted(set(orders.month) - {stub})[-1]
    paid = []
    for root in runs:
        references = frame(root, "orders", previous).payment_reference.unique()
        purposes = " ".join(frame(root, "bank_transactions").purpose)
        paid.append(sum(ref in purposes for ref in references) / len(references))
    assert paid[1] <= paid[0] - 0.1  # the month before the cut still waits for its late payments
    sessions = [len(frame(root, "web_sessions", stub)) for root in runs]
    assert sessions[1] <= sessions[0] * 0.3  # the stub month holds only a few days


def test_a_plant_month_must_be_complete_and_have_a_month_before_it(tmp_path, capsys):
    assert main(["--out", str(tmp_path), "--size", "tiny", "--scenario", "cost_spike", "--scenario-month", "2024-01"]) == 2
    assert "must be complete in the export" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--out", str(tmp_path), "--size", "tiny", "--scenario", "cost_spike", "--scenario-month", "11/2025"])
    assert "write it as YYYY-MM" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())


def test_one_scenario_month_puts_every_plant_there_and_cuts_the_export_after_it(tmp_path):
    generate(tmp_path, seed=7, size="tiny", start=date(2025, 9, 1), end=date(2025, 12, 31), scenarios=["all"],
             scenario_month=date(2025, 10, 1))
    truth = json.loads(manifest_path(tmp_path).read_text(encoding="utf-8"))
    assert truth["export_end"] == "2025-11-05"
    assert {s["id"]: s["month"] for s in truth["scenarios"]} == {
        "nps_region_service": "2025-10", "conversion_mix_shift": "2025-10", "category_revenue_dip": "2025-10",
        "cost_spike": "2025-10", "immature_last_month": "2025-11"}
    generate(tmp_path, seed=7, size="tiny", start=date(2025, 9, 1), end=date(2025, 12, 31))
    assert not manifest_path(tmp_path).exists()  # a run without scenarios leaves no stale truth
