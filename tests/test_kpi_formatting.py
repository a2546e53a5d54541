"""KPI numbers read the same in the report and the console summary: one Babel formatter per locale.

No warehouse needed: the formatter, a report headline built from hand-made frames and the summary
of a hand-made month are compared with the exact text a reader sees.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from kpis.formatting import formatter
from report import sections
from report.data import ReportData
from report.labels import TEXTS
from serving.summary import Headline, change, format_headline

NBSP = "\u00a0"


@pytest.mark.parametrize("language, expected", [
    ("de", ["12.345,68\u00a0€", "12,3\u00a0%", "1.234.567", "1.234,6", "+1,2\u00a0%", "-4,0\u00a0%", "–", "–"]),
    ("en", ["€12,345.68", "12.3%", "1,234,567", "1,234.6", "+1.2%", "-4.0%", "–", "–"]),
])
def test_one_formatter_per_locale(language, expected):
    numbers = formatter(language)
    shown = [numbers.value(Decimal("12345.675"), "eur"), numbers.value(0.1234, "rate"),
             numbers.value(1234567, "count"), numbers.value(1234.56, "hours"), numbers.change(0.012),
             numbers.change(-0.04), numbers.value(None, "eur"), numbers.change(float("nan"))]
    assert shown == expected


def test_a_language_without_a_locale_is_refused():
    with pytest.raises(ValueError, match="no number format for language 'fr'"):
        formatter("fr")


def _report_data() -> ReportData:
    month = pd.Timestamp("2025-11-01")
    trends = pd.DataFrame({"kpi_id": ["revenue_net", "churn_rate", "nps"], "month_start": [month] * 3,
                           "value": [123456.78, 0.0432, -12.0], "change_kind": ["relative", "percentage_points", "points"],
                           "change_prior_period_pct": [0.052, None, None], "change_prior_year_pct": [None, None, None],
                           "change_prior_period_points": [None, -0.48, -12.0], "change_prior_year_points": [None, 1.26, 3.5],
                           "provisional": [True, False, False]})
    attainment = pd.DataFrame({"kpi_id": ["revenue_net"], "month_start": [month], "status": ["at_risk"],
                               "target_value": [130000.0], "attainment": [0.9497]})
    empty = pd.DataFrame()
    return ReportData(Path("serving.duckdb"), trends, attainment, empty, empty, empty, empty, empty)


def test_report_headline_shows_registry_names_and_locale_numbers():
    data = _report_data()
    html = sections.headline(data, sections.kpi_meta(data, "de"), TEXTS["de"], "de")
    assert "Umsatz (netto)" in html and "Abwanderungsrate" in html
    assert f"123.456,78{NBSP}€" in html and f"4,3{NBSP}%" in html
    assert f"Ziel 130.000,00{NBSP}€ · gefährdet (-5,0{NBSP}%)" in html
    assert f"+5,2{NBSP}% ggü. Vormonat · – ggü. Vorjahr" in html
    assert f"-0,5{NBSP}Pp. ggü. Vormonat · +1,3{NBSP}Pp. ggü. Vorjahr" in html
    assert f"-12,0{NBSP}Pkt. ggü. Vormonat · +3,5{NBSP}Pkt. ggü. Vorjahr" in html
    # provisional: marked, and not coloured by its target status (the text still says it)
    assert html.count("vorläufig") == 1 and 'status-none provisional" data-kpi="revenue_net"' in html
    english = sections.headline(data, sections.kpi_meta(data, "en"), TEXTS["en"], "en")
    assert "Net revenue" in english and "€123,456.78" in english and f"+1.3{NBSP}pp vs prior year" in english
    assert f"-12.0{NBSP}pts vs prior month" in english


def test_a_change_in_points_has_a_known_kind():
    with pytest.raises(ValueError, match="unknown change kind 'percent'"):
        formatter("de").change(1.0, "percent")


def test_summary_lines():
    values = {"revenue_net": Decimal("123456.78"), "orders": 1234, "cancellation_rate": 0.0432}
    text = format_headline(Headline(date(2025, 11, 1), values, {"revenue_net": 0.0523, "orders": -0.012}))
    assert text.splitlines() == [
        "KPIs for 2025-11 (last complete month):",
        "  Umsatz (netto) (revenue_net)                €123,456.78  (+5.2% vs prior year)",
        "  Aufträge (orders)                                 1,234  (-1.2% vs prior year)",
        "  Stornoquote (cancellation_rate)                    4.3%",
    ]


def test_summary_changes_of_rates_are_percentage_points_of_amounts_relative():
    """A rate moving from 3.8 % to 5.3 % is +1.5 pp, not +39.5 %; an amount's change stays relative."""
    assert change(0.053, 0.038, "percentage_points") == pytest.approx(1.5)
    assert change(Decimal("110"), Decimal("100"), "relative") == pytest.approx(0.10)
    assert change(12.0, -4.0, "points") == pytest.approx(16.0)
    assert change(5, 0, "relative") is None and change(None, 0.1, "percentage_points") is None
    values = {"cancellation_rate": 0.053}
    line = format_headline(Headline(date(2025, 11, 1), values, {"cancellation_rate": 1.5})).splitlines()[1]
    assert line.endswith("5.3%  (+1.5\u00a0pp vs prior year)")


@pytest.mark.parametrize("language, expected", [
    ("de", [f"-0,6{NBSP}Pp.", f"-5,0{NBSP}Pkt.", f"-841,68{NBSP}€", "+120", f"+0,00{NBSP}€"]),
    ("en", [f"-0.6{NBSP}pp", f"-5.0{NBSP}pts", "-€841.68", "+120", "+€0.00"]),
])
def test_an_impact_is_signed_in_its_kpi_s_unit(language, expected):
    numbers = formatter(language)
    shown = [numbers.impact(-0.006, "rate"), numbers.impact(-5, "score"), numbers.impact(-841.68, "eur"),
             numbers.impact(120, "count"), numbers.impact(0.001, "eur")]
    assert shown == expected


# Values, changes and impacts the report formats in Python and analysis_recommendations in SQL.
SAMPLES = [("value", 1234.567, "eur"), ("value", -1234.567, "eur"), ("value", 0.0543, "rate"),
           ("value", 1234567.0, "count"), ("value", -12.34, "score"), ("value", 12.25, "hours"),
           ("value", None, "eur"), ("change", 0.015, "relative"), ("change", -0.2503, "relative"),
           ("change", -1.55, "percentage_points"), ("change", -5.0, "points"), ("change", None, "points"),
           ("impact", -0.0123, "rate"), ("impact", -5.2, "score"), ("impact", -841.675, "eur"),
           ("impact", 120.0, "count"), ("impact", 3.5, "eur"), ("impact", 0.2, "ratio"),
           ("value", 0.125, "eur"), ("value", -0.04, "hours"), ("impact", -0.0004, "rate")]


@pytest.mark.slow
def test_the_sql_macros_write_numbers_as_the_report_does(tmp_path):
    """Texts built in SQL (macros/locale_text.sql) and cards built in Python read the same."""
    import duckdb

    from transform.dbt import run_dbt

    rows = ", ".join(f"({i}, '{kind}', {'NULL' if v is None else repr(v)}, '{unit}')"
                     for i, (kind, v, unit) in enumerate(SAMPLES))
    columns = ", ".join(
        f"case kind when 'value' then {{{{ kpi_value_text('v', 'unit', '{lang}') }}}} "
        f"when 'change' then {{{{ kpi_change_text('v', 'unit', '{lang}') }}}} "
        f"else {{{{ kpi_impact_text('v', 'unit', '{lang}') }}}} end as {lang}" for lang in ("de", "en"))
    inline = f"select i, {columns} from (values {rows}) as samples(i, kind, v, unit) order by i"
    result = run_dbt("compile", "--inline", inline, target=tmp_path / "target", warehouse=tmp_path / "w.duckdb")
    with duckdb.connect() as con:
        shown = con.execute(result.result.results[0].node.compiled_code).fetchall()
    for (i, de, en), (kind, value, unit) in zip(shown, SAMPLES):
        expected = [getattr(formatter(lang), kind)(value, unit) for lang in ("de", "en")]
        assert [de, en] == expected, (kind, value, unit)


def test_recommendation_cards_show_driver_impact_area_and_priority():
    month = pd.Timestamp("2025-11-01")
    recommendations = pd.DataFrame({
        "kpi_id": ["nps", "resolution_hours"], "month_start": [month] * 2, "flag_type": ["risk"] * 2, "priority": [2, 1],
        "area": ["service"] * 2, "dimension": ["region", "total"], "dimension_value": ["West", "total"],
        "effect": ["rate", None], "impact": [-8.0, 6.0], "share_of_change": [0.8, None], "unit": ["score", "hours"],
        "action_de": ["NPS prüfen.", "Dauer prüfen."], "action_en": ["Check NPS.", "Check time."],
        "evidence_de": ["Beleg NPS", "Beleg Dauer"], "evidence_en": ["NPS evidence", "time evidence"],
        "kpis_to_move": ["nps", "resolution_hours"]})
    data = _report_data()
    data = ReportData(data.source, data.trends, data.attainment, data.flags, recommendations,
                      data.provenance, data.held_back)
    german = sections.recommendations(data, TEXTS["de"], "de")
    assert german.index('data-priority="1"') < german.index('data-priority="2"')
    assert f"Priorität 2 · Risiko · verantwortlich: Kundenservice" in german
    assert f"Treiber: region = West · Wirkung -8,0{NBSP}Pkt. (80,0{NBSP}% der Veränderung, Raten-Effekt)" in german
    assert "kein Treiber nach Dimension · Wirkung +6,0" in german
    english = sections.recommendations(data, TEXTS["en"], "en")
    assert f"Driver: region = West · Impact -8.0{NBSP}pts (80.0% of the change, rate effect)" in english
    assert "Priority 1 · Risk · owner: Customer service" in english


def test_charts_use_the_locale_s_separators():
    assert (formatter("de").separators, formatter("en").separators) == (",.", ".,")
