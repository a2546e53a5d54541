"""Vendor exports in the layouts the vendors document (tests/fixtures/real_exports, written by hand,
not by our generator) through the whole pipeline, once.

Every corpus file goes into the landing zone of a data folder of this module's own, beside a small
generated sample (January and February 2025) that gives the pipeline its reference context; the
corpus is dated May and June 2025, so every figure of those months in the marts comes from the
corpus. The expected figures are the README's, worked out from the files by hand, not by the
loader: rows per file in raw, totals in staging, and the KPI marts.
"""
from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from tests.helpers import data_dir_env, materialize_everything

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).parent / "fixtures" / "real_exports"
MAY, JUNE = date(2025, 5, 1), date(2025, 6, 1)

# Corpus file -> landing folder(s). A Meta or LinkedIn content export feeds posts and their metrics.
SOCIAL = ("social/social_posts", "social/social_post_metrics")
LANDING = {
    "hubspot/hubspot-crm-exports-all-companies-en-2025-06-30.csv": ("crm/customers",),
    "hubspot/hubspot-crm-exports-companies-de-2025-06-30.csv": ("crm/customers",),
    "hubspot/hubspot-crm-exports-all-deals-en-2025-06-30.csv": ("crm/deals",),
    "hubspot/hubspot-crm-exports-deals-de-2025-06-30.csv": ("crm/deals",),
    "salesforce/Account.csv": ("crm/customers",),
    "salesforce/Opportunity.csv": ("crm/deals",),
    "salesforce/report-opportunities-details-2025-06-30.csv": ("crm/deals",),
    "salesforce/report-opportunities-closed-2025-06-30.xlsx": ("crm/deals",),
    "datev/EXTF_Buchungsstapel_SKR03_2025-06.csv": ("finance/cost_bookings",),
    "datev/EXTF_Buchungsstapel_SKR04_2025-05.csv": ("finance/cost_bookings",),
    "sparkasse/20250531-0648489890-umsatz-camt-v2.csv": ("finance/bank_transactions",),
    "sparkasse/20250630-0648489890-umsatz-mt940.csv": ("finance/bank_transactions",),
    "meta/facebook-page-content-2025-05.csv": SOCIAL,
    "meta/instagram-content-2025-05.csv": SOCIAL,
    "linkedin/linkedin-content-all-posts-2025-05.csv": SOCIAL,
    "linkedin/linkedin-content-all-posts-2025-06.csv": SOCIAL,
    "ga4/events_20250512.ndjson": ("web/web_events",),
    "ga4/events_20250613.ndjson": ("web/web_events",),
}

# Landing file -> (mapping, rows loaded, rows skipped as no record of the entity); README "rows".
LOADS = {
    "crm/customers/hubspot-crm-exports-all-companies-en-2025-06-30.csv": ("hubspot_companies", 4, 0),
    "crm/customers/hubspot-crm-exports-companies-de-2025-06-30.csv": ("hubspot_companies", 3, 0),
    "crm/customers/Account.csv": ("salesforce_account", 3, 0),
    "crm/deals/hubspot-crm-exports-all-deals-en-2025-06-30.csv": ("hubspot_deals", 5, 0),
    "crm/deals/hubspot-crm-exports-deals-de-2025-06-30.csv": ("hubspot_deals", 4, 0),
    "crm/deals/Opportunity.csv": ("salesforce_opportunity", 4, 0),
    "crm/deals/report-opportunities-details-2025-06-30.csv": ("salesforce_report_opportunities", 4, 0),
    "crm/deals/report-opportunities-closed-2025-06-30.xlsx": ("salesforce_report_opportunities", 3, 0),
    "finance/cost_bookings/EXTF_Buchungsstapel_SKR03_2025-06.csv": ("datev_buchungsstapel", 6, 3),
    "finance/cost_bookings/EXTF_Buchungsstapel_SKR04_2025-05.csv": ("datev_buchungsstapel", 5, 4),
    "finance/bank_transactions/20250531-0648489890-umsatz-camt-v2.csv": ("sparkasse_camt_csv", 7, 0),
    "finance/bank_transactions/20250630-0648489890-umsatz-mt940.csv": ("sparkasse_mt940_csv", 5, 0),
    "social/social_posts/facebook-page-content-2025-05.csv": ("meta_posts", 3, 0),
    "social/social_posts/instagram-content-2025-05.csv": ("meta_posts", 3, 0),
    "social/social_posts/linkedin-content-all-posts-2025-05.csv": ("linkedin_posts", 2, 0),
    "social/social_posts/linkedin-content-all-posts-2025-06.csv": ("linkedin_posts", 2, 0),
    "social/social_post_metrics/facebook-page-content-2025-05.csv": ("meta_post_metrics", 3, 0),
    "social/social_post_metrics/instagram-content-2025-05.csv": ("meta_post_metrics", 3, 0),
    "social/social_post_metrics/linkedin-content-all-posts-2025-05.csv": ("linkedin_post_metrics", 2, 0),
    "social/social_post_metrics/linkedin-content-all-posts-2025-06.csv": ("linkedin_post_metrics", 2, 0),
    "web/web_events/events_20250512.ndjson": ("ga4_events_ndjson", 5, 0),
    "web/web_events/events_20250613.ndjson": ("ga4_events_ndjson", 5, 0),
}


# README "DATEV": cost by month and category (the SKR04 batch is May's, the SKR03 batch June's).
COST_BY_CATEGORY = [
    (MAY, "it", Decimal("119.00")), (MAY, "marketing", Decimal("1785.00")), (MAY, "operations", Decimal("1450.00")),
    (MAY, "personnel", Decimal("4200.00")), (MAY, "service", Decimal("640.00")),
    (JUNE, "it", Decimal("89.90")), (JUNE, "marketing", Decimal("2230.00")), (JUNE, "operations", Decimal("1495.80")),
    (JUNE, "sales", Decimal("312.40")),
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, dbt_manifest):
    """The generated sample and the corpus in one landing zone, every asset materialized once;
    the environment points every path at this module's folder while it runs."""
    from ingestion.generate import generate

    data_dir = tmp_path_factory.mktemp("real-exports")
    landing = data_dir / "landing"
    (data_dir / "dbt_target").mkdir()
    shutil.copy(dbt_manifest, data_dir / "dbt_target" / "manifest.json")  # the session's, parsed once
    with data_dir_env(data_dir):
        generate(landing, seed=7, size="tiny", start=date(2025, 1, 1), end=date(2025, 2, 28))
        for name, folders in LANDING.items():
            for folder in folders:
                (landing / folder).mkdir(parents=True, exist_ok=True)
                shutil.copy(FIXTURES / name, landing / folder)
        result = materialize_everything()
        yield data_dir / "warehouse.duckdb", result


def query(corpus, sql: str, params=None) -> list[tuple]:
    with duckdb.connect(str(corpus[0]), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def by_key(rows: list[tuple]) -> dict:
    """Rows as {first column: the other columns}."""
    return {r[0]: r[1:] for r in rows}


def test_every_fixture_file_is_in_the_corpus_and_described_in_the_readme():
    files = {p.relative_to(FIXTURES).as_posix() for p in FIXTURES.rglob("*") if p.is_file() and p.name != "README.md"}
    assert files == set(LANDING)
    readme = (FIXTURES / "README.md").read_text(encoding="utf-8")
    assert [name for name in LANDING if f"`{name}`" not in readme] == []


def test_every_asset_materializes_and_every_check_passes(corpus):
    _, result = corpus
    failed = sorted(e.asset_check_evaluation_data.asset_check_key.to_user_string() for e in result.all_events
                    if e.event_type_value == "ASSET_CHECK_EVALUATION" and not e.asset_check_evaluation_data.passed)
    assert failed == []
    assert result.success


def test_every_corpus_file_loads_whole_with_its_mapping(corpus):
    rows = query(corpus, "SELECT file, status, json_extract_string(parse_options, '$.mapping'), rows_read, rows_loaded, "
                         "rows_quarantined, rows_skipped, message FROM raw._loads WHERE file IN (SELECT unnest(?))", [list(LOADS)])
    got = by_key(rows)
    assert sorted(got) == sorted(LOADS)
    for file, (mapping, loaded, skipped) in LOADS.items():
        status, used, read, rows_loaded, quarantined, rows_skipped, message = got[file]
        assert (status, used, rows_loaded, quarantined, rows_skipped) == ("loaded", mapping, loaded, 0, skipped), (file, message)
        assert read == loaded + skipped, file


def test_bank_statements_in_raw_and_staging(corpus):
    """README "Sparkasse": inflow and outflow per file (raw) and per booking month (staging), the
    invoice reference of every inflow."""
    raw = by_key(query(corpus, """
        SELECT _file, count(*), sum(amount) FILTER (WHERE amount > 0), -sum(amount) FILTER (WHERE amount < 0)
        FROM raw.bank_transactions WHERE _file LIKE 'finance/bank_transactions/2025%' GROUP BY 1"""))
    assert raw == {
        "finance/bank_transactions/20250531-0648489890-umsatz-camt-v2.csv": (7, Decimal("4665.00"), Decimal("1581.50")),
        "finance/bank_transactions/20250630-0648489890-umsatz-mt940.csv": (5, Decimal("4735.00"), Decimal("2099.95")),
    }
    staged = by_key(query(corpus, """
        SELECT date_trunc('month', booking_date)::DATE, count(*), sum(amount_eur) FILTER (WHERE amount_eur > 0),
               -sum(amount_eur) FILTER (WHERE amount_eur < 0)
        FROM staging.stg_finance__bank_transactions WHERE booking_date >= ? GROUP BY 1""", [MAY]))
    assert staged == {MAY: (7, Decimal("4665.00"), Decimal("1581.50")), JUNE: (5, Decimal("4735.00"), Decimal("2099.95"))}
    references = query(corpus, """
        SELECT booking_date, payment_reference FROM staging.stg_finance__bank_transactions
        WHERE booking_date >= ? AND amount_eur > 0 ORDER BY 1""", [MAY])
    assert references == [(date(2025, 5, 5), "RE-2024-1187"), (date(2025, 5, 12), "4711"), (date(2025, 5, 28), "2024/0815"),
                          (date(2025, 5, 30), "RE2024001187"), (date(2025, 6, 2), "RE-2025-0042"), (date(2025, 6, 16), "4712")]


def test_datev_bookings_by_chart_only_costs_in_raw_and_staging(corpus):
    """README "DATEV": expense bookings by category, revenue, bank and balance-sheet bookings skipped."""
    raw = by_key(query(corpus, """
        SELECT _file, count(*), sum(amount) FROM raw.cost_bookings WHERE _file LIKE 'finance/cost_bookings/EXTF_%SKR0%' GROUP BY 1"""))
    assert raw == {"finance/cost_bookings/EXTF_Buchungsstapel_SKR03_2025-06.csv": (6, Decimal("4128.10")),
                   "finance/cost_bookings/EXTF_Buchungsstapel_SKR04_2025-05.csv": (5, Decimal("8194.00"))}
    staged = query(corpus, """
        SELECT date_trunc('month', booking_date)::DATE, cost_category, sum(amount_eur)
        FROM staging.stg_finance__cost_bookings WHERE booking_date >= ? GROUP BY ALL ORDER BY ALL""", [MAY])
    assert staged == COST_BY_CATEGORY


def test_deals_by_stage_per_file_in_raw(corpus):
    """README "HubSpot" and "Salesforce": deals, amounts and close dates per stage and file."""
    got = query(corpus, """
        SELECT _file, stage, count(*), sum(amount), count(closed_at) FROM raw.deals
        WHERE _file IN (SELECT unnest(?)) GROUP BY ALL ORDER BY ALL""", [[f for f in LOADS if f.startswith("crm/deals/")]])
    en, de = "crm/deals/hubspot-crm-exports-all-deals-en-2025-06-30.csv", "crm/deals/hubspot-crm-exports-deals-de-2025-06-30.csv"
    export, report = "crm/deals/Opportunity.csv", "crm/deals/report-opportunities-details-2025-06-30.csv"
    workbook = "crm/deals/report-opportunities-closed-2025-06-30.xlsx"
    assert got == [
        (export, "lost", 1, Decimal("6400"), 1), (export, "negotiation", 1, Decimal("11250.75"), 0),
        (export, "qualification", 1, Decimal("2500"), 0), (export, "won", 1, Decimal("18000"), 1),
        (en, "lost", 1, Decimal("5000"), 1), (en, "negotiation", 1, Decimal("20000"), 0),
        (en, "qualification", 1, Decimal("3000"), 0), (en, "won", 2, Decimal("20900.50"), 2),
        (de, "lost", 1, Decimal("7250"), 1), (de, "negotiation", 1, Decimal("15000"), 0),
        (de, "won", 2, Decimal("15100"), 2),  # 9800 EUR + 5300 EUR, the company-currency amount of 5000 CHF
        (workbook, "lost", 1, Decimal("1800"), 1), (workbook, "won", 2, Decimal("8200"), 2),
        (report, "lost", 1, Decimal("9900.00"), 1), (report, "proposal", 1, Decimal("2600.00"), 0),
        (report, "won", 2, Decimal("11450.25"), 2),
    ]


def test_sales_kpis_count_the_closed_deals_of_their_month(corpus):
    """README "Expected figures in the marts": won and lost deals by close month."""
    got = by_key(query(corpus, """
        SELECT month_start, new_contracts_count, new_contracts_value, lost_orders_count, lost_orders_value
        FROM marts.kpi_sales_monthly WHERE month_start IN (?, ?)""", [MAY, JUNE]))
    assert got == {MAY: (4, Decimal("40000.00"), 1, Decimal("5000.00")),
                   JUNE: (5, Decimal("33650.75"), 4, Decimal("25350.00"))}


def test_cash_and_cost_kpis_of_the_corpus_months(corpus):
    """README "Expected figures in the marts": the bank statements' flows, DATEV's cost total."""
    got = by_key(query(corpus, """
        SELECT month_start, cash_inflow, cash_outflow, net_cashflow, cost_total, revenue_lost_deals
        FROM marts.kpi_cash_monthly WHERE month_start IN (?, ?)""", [MAY, JUNE]))
    assert got == {MAY: (Decimal("4665.00"), Decimal("1581.50"), Decimal("3083.50"), Decimal("8194.00"), Decimal("5000.00")),
                   JUNE: (Decimal("4735.00"), Decimal("2099.95"), Decimal("2635.05"), Decimal("4128.10"), Decimal("25350.00"))}
    by_category = query(corpus, """
        SELECT month_start, cost_category, cost_by_category FROM marts.kpi_cost_monthly
        WHERE month_start IN (?, ?) AND cost_by_category <> 0 ORDER BY ALL""", [MAY, JUNE])
    assert by_category == COST_BY_CATEGORY


def test_social_kpis_of_the_content_exports(corpus):
    """README "Meta" and "LinkedIn": impressions per channel and month; interactions (likes,
    comments, shares, clicks), Instagram's without clicks, which its export does not have."""
    got = query(corpus, """
        SELECT month_start, channel, impressions, social_interactions FROM marts.kpi_social_monthly
        WHERE month_start IN (?, ?) AND impressions > 0 ORDER BY ALL""", [MAY, JUNE])
    impressions = [(month, channel, shown) for month, channel, shown, _ in got]
    assert impressions == [(MAY, "facebook", 15700), (MAY, "instagram", 16200), (MAY, "linkedin", 4400), (JUNE, "linkedin", 13500)]
    interactions = {(month, channel): n for month, channel, _, n in got}
    assert interactions == {(MAY, "facebook"): 677, (MAY, "instagram"): 656, (MAY, "linkedin"): 207, (JUNE, "linkedin"): 358}


def test_ga4_events_in_raw_and_staging(corpus):
    """README "GA4": events per file and kind; the purchase's revenue."""
    got = query(corpus, """
        SELECT _file, event_name, count(*), count(DISTINCT session_id) FROM raw.web_events
        WHERE _file LIKE 'web/web_events/events_2025%' GROUP BY ALL ORDER BY ALL""")
    may, june = "web/web_events/events_20250512.ndjson", "web/web_events/events_20250613.ndjson"
    assert got == [(may, "element_click", 1, 1), (may, "element_impression", 1, 1), (may, "page_view", 3, 2),
                   (june, "element_impression", 1, 1), (june, "page_view", 3, 2), (june, "purchase", 1, 1)]
    staged = query(corpus, """
        SELECT event_date, count(*), sum(purchase_value_eur) FROM staging.stg_web__web_events
        WHERE event_date >= ? GROUP BY 1 ORDER BY 1""", [MAY])
    assert staged == [(date(2025, 5, 12), 5, None), (date(2025, 6, 13), 5, Decimal("149.00"))]
