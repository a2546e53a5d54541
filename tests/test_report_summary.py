"""The report's executive summary: written from the marts, in German and English, and silent where
there is nothing to say. The target outlook's forecast is checked against a separate computation."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from report import sections
from report.data import ReportData, load
from report.labels import TEXTS
from report.summary import sentences, summary_section
from serving.publish import SERVING_FILE

NBSP = "\u00a0"
MONTH = pd.Timestamp("2025-11-01")


def _summary(data: ReportData, language: str) -> list[str]:
    return sentences(data, sections.kpi_meta(data, language), TEXTS[language], language)


# --- on the built sample ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def serving(built_sample) -> Path:
    return built_sample / "serving" / SERVING_FILE


def _expected_from_sample(serving: Path) -> dict:
    """What the summary must name, read with plain SQL: the most severe final risk of the latest month,
    its largest rank-1 driver, and how many of the year's targets each verdict has."""
    with duckdb.connect(str(serving), read_only=True) as con:
        month = con.execute("SELECT max(month_start) FROM marts.analysis_trends").fetchone()[0]
        kpi, = con.execute("SELECT kpi_id FROM marts.analysis_flags WHERE month_start = ? AND flag_type = 'risk' "
                           "AND dimension = 'total' AND NOT provisional ORDER BY severity DESC, kpi_id LIMIT 1",
                           [month]).fetchone()
        driver, = con.execute("SELECT dimension_value FROM marts.analysis_drivers WHERE kpi_id = ? AND month_start = ? "
                              "AND driver_rank = 1 ORDER BY abs(contribution) DESC, dimension, dimension_value LIMIT 1",
                              [kpi, month]).fetchone()
        verdicts = dict(con.execute("SELECT outlook, count(*) FROM marts.analysis_target_outlook WHERE dimension = 'total' "
                                    "AND target_year = year(?) AND outlook <> 'no_data' GROUP BY outlook", [month]).fetchall())
    return {"month": month, "kpi": kpi, "driver": driver, "verdicts": verdicts}


@pytest.mark.parametrize("language", ["de", "en"])
def test_summary_on_the_sample_names_a_risk_its_driver_and_the_outlook(serving, language):
    expected = _expected_from_sample(serving)
    data = load(serving)
    lines = _summary(data, language)
    label = sections.kpi_meta(data, language)[expected["kpi"]]["label"]
    assert 3 <= len(lines) <= 5, lines
    assert lines[0].startswith({"de": "Risiko: ", "en": "Risk: "}[language] + label), lines
    assert f"{expected['driver']} (" in lines[0]
    year = pd.Timestamp(expected["month"]).year
    counts = {"de": {"yes": "{} voraussichtlich erreicht", "at_risk": "{} gefährdet", "no": "{} voraussichtlich verfehlt"},
              "en": {"yes": "{} expected to be met", "at_risk": "{} at risk", "no": "{} expected to be missed"}}[language]
    outlook = {"de": f"Jahresziele {year}: ", "en": f"Annual targets {year}: "}[language]
    assert outlook + ", ".join(counts[v].format(n) for v, n in sorted(expected["verdicts"].items(),
                                                                       key=lambda i: ["yes", "at_risk", "no"].index(i[0]))) + "." in lines
    html = summary_section(data, sections.kpi_meta(data, language), TEXTS[language], language)
    assert html.startswith('<section id="summary">') and label in html


def test_revenue_outlook_matches_a_separate_computation(serving):
    """revenue_net on the sample, recomputed from the monthly values: the final months of the latest
    year (B over k months), the prior year's whole (P12) and same months (Pk); run rate B × 12 / k,
    seasonal B × P12 / Pk."""
    with duckdb.connect(str(serving), read_only=True) as con:
        months = con.execute("SELECT month_start, value, provisional FROM marts.analysis_kpi_values "
                             "WHERE kpi_id = 'revenue_net' AND dimension = 'total'").df()
        row = con.execute("SELECT * FROM marts.analysis_target_outlook WHERE kpi_id = 'revenue_net' AND dimension = 'total' "
                          "ORDER BY target_year DESC LIMIT 1").df().iloc[0]
        target = con.execute("SELECT sum(target_value) FROM marts.kpi_targets WHERE kpi_id = 'revenue_net' "
                             "AND dimension IS NULL AND year(period_start) = ?", [int(row["target_year"])]).fetchone()[0]
    months["year"], months["month"] = months["month_start"].dt.year, months["month_start"].dt.month
    year = months[months["year"] == row["target_year"]]
    final = year[~year["provisional"]]
    prior = months[months["year"] == row["target_year"] - 1]
    b, k = final["value"].sum(), len(final)
    p12, pk = prior["value"].sum(), prior[prior["month"].isin(final["month"])]["value"].sum()
    assert row["ytd_value"] == pytest.approx(year["value"].sum())
    assert row["provisional_months"] == year["provisional"].sum()
    assert row["annual_target"] == pytest.approx(float(target))
    assert row["run_rate_estimate"] == pytest.approx(b * 12 / k)
    assert row["forecast"] == pytest.approx(b * p12 / pk)
    assert (row["forecast_low"], row["forecast_high"]) == pytest.approx(tuple(sorted([b * 12 / k, b * p12 / pk])))
    verdict = "yes" if row["forecast_low"] >= target else "no" if row["forecast_high"] < target else "at_risk"
    assert row["outlook"] == verdict


# --- by hand ---------------------------------------------------------------------------------------


def _flag(kpi_id, flag_type, severity, value, change_kind, pct=None, points=None, provisional=False, month=MONTH):
    return {"kpi_id": kpi_id, "month_start": month, "dimension": "total", "flag_type": flag_type, "severity": severity,
            "value": value, "change_kind": change_kind, "change_prior_period_pct": pct,
            "change_prior_period_points": points, "provisional": provisional}


def _data(flags: list[dict], drivers: list[dict] = (), outlook: list[dict] = ()) -> ReportData:
    trends = pd.DataFrame({"kpi_id": ["revenue_net"], "month_start": [MONTH], "value": [1.0]})
    empty = pd.DataFrame()
    return ReportData(Path("serving.duckdb"), trends, empty, pd.DataFrame(flags), empty, empty, empty,
                      outlook=pd.DataFrame(list(outlook)), drivers=pd.DataFrame(list(drivers)))


def _driver(kpi_id, dimension, value, contribution, rank=1):
    return {"kpi_id": kpi_id, "month_start": MONTH, "dimension": dimension, "dimension_value": value,
            "contribution": contribution, "driver_rank": rank}


def _outlook(kpi_id, year, verdict, forecast=None, low=None, high=None, target=None, attainment=None):
    return {"kpi_id": kpi_id, "target_year": year, "outlook": verdict, "forecast": forecast, "forecast_low": low,
            "forecast_high": high, "annual_target": target, "forecast_attainment": attainment}


def test_nothing_to_say_gives_no_summary_and_a_provisional_month_is_no_risk():
    # the only risk is in a provisional month; the outlook has no final month yet
    data = _data([_flag("revenue_net", "risk", 9.0, 100.0, "relative", pct=-0.5, provisional=True)],
                 [_driver("revenue_net", "region", "Ost", -100.0)],
                 [_outlook("revenue_net", 2025, "no_data")])
    assert _summary(data, "de") == [] and _summary(data, "en") == []
    assert summary_section(data, sections.kpi_meta(data, "de"), TEXTS["de"], "de") == ""
    empty = _data([])
    assert _summary(empty, "de") == []


def test_summary_by_hand_in_german_and_english():
    flags = [
        _flag("follower_growth", "risk", 5.0, 184.0, "relative", pct=-0.739),
        _flag("conversion_rate", "risk", 3.0, 0.041, "percentage_points", points=-1.5),
        _flag("orders", "risk", 2.0, 10.0, "relative", pct=-0.5),  # third risk: left out
        _flag("revenue_net", "risk", 99.0, 1.0, "relative", pct=-0.9, provisional=True),  # provisional: left out
        _flag("revenue_net", "opportunity", 4.0, 120000.0, "relative", pct=0.2),
        _flag("orders", "opportunity", 1.0, 10.0, "relative", pct=0.3),
        _flag("nps", "risk", 50.0, 1.0, "points", points=-9.0, month=pd.Timestamp("2025-10-01")),  # earlier month
    ]
    drivers = [
        _driver("follower_growth", "social_channel", "instagram", -184.0),
        _driver("follower_growth", "post_type", "image", -100.0),  # also rank 1, smaller
        _driver("follower_growth", "social_channel", "linkedin", -500.0, rank=2),
        _driver("conversion_rate", "utm_source", "newsletter", -0.012),
    ]
    outlook = [
        _outlook("revenue_net", 2025, "at_risk", 900000.0, 800000.0, 1100000.0, 1000000.0, 0.9),
        _outlook("orders", 2025, "yes", 1300.0, 1250.0, 1350.0, 1200.0, 1.08),
        _outlook("orders", 2024, "no", 10.0, 10.0, 10.0, 1200.0, 0.01),  # another year
        _outlook("new_customers", 2025, "no_data"),
    ]
    data = _data(flags, drivers, outlook)
    assert _summary(data, "de") == [
        f"Risiko: Follower-Wachstum -73,9{NBSP}% ggü. Vormonat auf 184, größter Treiber: instagram (social channel, -184).",
        f"Risiko: Konversionsrate -1,5{NBSP}Pp. ggü. Vormonat auf 4,1{NBSP}%, größter Treiber: newsletter (utm source, -1,2{NBSP}Pp.).",
        f"Größte Chance: Umsatz (netto) +20,0{NBSP}% ggü. Vormonat auf 120.000,00{NBSP}€.",
        "Jahresziele 2025: 1 voraussichtlich erreicht, 1 gefährdet.",
        f"Am weitesten vom Ziel (gefährdet): Umsatz (netto) mit einer Prognose von 900.000,00{NBSP}€ "
        f"(Spanne 800.000,00{NBSP}€ bis 1.100.000,00{NBSP}€) gegen das Jahresziel 1.000.000,00{NBSP}€.",
    ]
    english = _summary(data, "en")
    assert english[1] == (f"Risk: Conversion rate -1.5{NBSP}pp vs prior month to 4.1%, "
                          f"largest driver: newsletter (utm source, -1.2{NBSP}pp).")
    assert english[3:] == ["Annual targets 2025: 1 expected to be met, 1 at risk.",
                           "Furthest from target (at risk): Net revenue, forecast €900,000.00 (range €800,000.00 "
                           "to €1,100,000.00) against the annual target €1,000,000.00."]


def test_all_targets_met_is_one_sentence():
    outlook = [_outlook("revenue_net", 2025, "yes", 1.2, 1.1, 1.3, 1.0, 1.2), _outlook("orders", 2025, "yes", 2, 2, 2, 1, 2)]
    assert _summary(_data([], outlook=outlook), "en") == ["All 2 annual targets for 2025 are expected to be met."]
