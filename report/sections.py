"""The report's sections as HTML: headline cards, trends per KPI family, risks with their drivers,
recommendations with evidence, and where the data came from."""
from __future__ import annotations

from html import escape

import pandas as pd

import kpis
from kpis.formatting import formatter
from report.charts import ChartWriter, driver_figure, trend_figure
from report.data import ReportData

# Shown as cards even without a target; every KPI with a target is shown too.
HEADLINE_KPIS = {"revenue_net", "orders", "new_customers", "cancellation_rate", "active_customers", "churn_rate",
                 "nps", "complaints", "conversion_rate", "net_cashflow"}
MAX_FLAGS = 12


def kpi_meta(data: ReportData, language: str) -> dict[str, dict]:
    """Label, unit and family per KPI from the registry; a KPI it lacks (an older serving copy) shows its id."""
    meta = {k.id: {"label": k.name(language), "unit": k.unit, "family": k.family} for k in kpis.load().kpis}
    for kpi_id in data.trends["kpi_id"].unique():
        meta.setdefault(kpi_id, {"label": kpi_id, "unit": "", "family": kpis.load().families[0].id})
    return meta


def headline(data: ReportData, meta: dict, texts: dict, language: str) -> str:
    month = data.latest_month
    targets = data.attainment[data.attainment["month_start"] == month].set_index("kpi_id")
    now = data.trends[(data.trends["month_start"] == month)
                      & data.trends["kpi_id"].isin(HEADLINE_KPIS | set(targets.index))]
    cards, numbers = [], formatter(language)
    families = [f.id for f in kpis.load().families]
    for row in sorted(now.itertuples(), key=lambda r: (families.index(meta[r.kpi_id]["family"]), r.kpi_id)):
        unit = meta[row.kpi_id]["unit"]
        status, target_line = "none", texts["no_target"]
        if row.kpi_id in targets.index:
            t = targets.loc[row.kpi_id]
            status = t["status"]
            target_line = (f"{texts['target']} {numbers.value(t['target_value'], unit)} · "
                           f"{texts[status]} ({numbers.change(t['attainment'] - 1)})")
        # a provisional value may still reach its target: its card is not coloured by the status
        shown_status = "none provisional" if row.provisional else status
        cards.append(
            f'<div class="kpi status-{shown_status}" data-kpi="{row.kpi_id}" data-value="{float(row.value)!r}">'
            f'<div class="label">{escape(meta[row.kpi_id]["label"])}</div>'
            f'<div class="value">{numbers.value(row.value, unit)}</div>'
            f'<div class="sub">{change_text(numbers, row, "prior_period")} {texts["change"]} · '
            f'{change_text(numbers, row, "prior_year")} {texts["change_year"]}</div>{provisional_note(row, texts)}'
            f'<div class="sub">{escape(target_line)}</div></div>')
    return section("headline", texts["headline"].format(month=month_label(month, language)),
                   f'<div class="cards">{"".join(cards)}</div>')


def trends(data: ReportData, meta: dict, language: str, texts: dict, charts: ChartWriter) -> str:
    parts = []
    for family in kpis.load().families:
        kpi_ids = sorted(k for k in data.trends["kpi_id"].unique() if meta[k]["family"] == family.id)
        if not kpi_ids:
            continue
        figures = []
        for kpi_id in kpi_ids:
            trend = data.trends[data.trends["kpi_id"] == kpi_id]
            targets = data.attainment[data.attainment["kpi_id"] == kpi_id]
            figures.append(f'<div class="chart">{charts.html(trend_figure(trend, targets, meta[kpi_id]["label"], texts))}</div>')
        parts.append(f'<h3>{escape(family.name(language))}</h3><div class="grid" data-family="{family.id}">{"".join(figures)}</div>')
    return section("trends", texts["trends"], "".join(parts))


def risks(data: ReportData, meta: dict, texts: dict, language: str, charts: ChartWriter) -> str:
    month = data.latest_month
    flags = data.flags[data.flags["month_start"] == month].sort_values("severity", ascending=False).head(MAX_FLAGS)
    items, numbers = [], formatter(language)
    for flag in flags.itertuples():
        drivers = data.drivers[(data.drivers["kpi_id"] == flag.kpi_id) & (data.drivers["month_start"] == month)]
        unit = meta[flag.kpi_id]["unit"]
        chart = "" if drivers.empty else charts.html(driver_figure(drivers, unit, texts["drivers_chart"], texts))
        items.append(
            f'<div class="flag {flag.flag_type}" data-kpi="{flag.kpi_id}"><h4>{texts[flag.flag_type]}: '
            f'{escape(meta[flag.kpi_id]["label"])} {numbers.value(flag.value, unit)} '
            f'({change_text(numbers, flag, "prior_period")} {texts["change"]})</h4>{chart}</div>')
    body = "".join(items) or f'<p>{texts["none_flagged"]}</p>'
    return section("risks", texts["risks"].format(month=month_label(month, language)), f'<div class="grid">{body}</div>')


def recommendations(data: ReportData, texts: dict, language: str) -> str:
    """A card per recommendation of the month, by priority: area and priority, the action, its driver
    with the impact (formatted here as the mart's texts are in SQL), the evidence and the KPIs to move."""
    month = data.latest_month
    rows = data.recommendations[data.recommendations["month_start"] == month].sort_values("priority").head(MAX_FLAGS)
    cards = [recommendation_card(r, texts, language) for r in rows.itertuples()]
    body = f'<div class="grid recommendations">{"".join(cards)}</div>' if cards else f'<p>{texts["none_flagged"]}</p>'
    return section("recommendations", texts["recommendations"].format(month=month_label(month, language)), body)


def recommendation_card(r, texts: dict, language: str) -> str:
    numbers, areas = formatter(language), {a.id: a for a in kpis.load().areas}
    area = areas[r.area].name(language) if r.area in areas else r.area
    impact = numbers.impact(r.impact, r.unit)
    if r.dimension == "total":
        driver = f'{texts["no_driver"]} · {texts["impact"]} {impact}'
    else:
        effect = f', {texts[r.effect]}' if r.effect in ("mix", "rate") else ""
        share = "" if pd.isna(r.share_of_change) else f' ({numbers.value(r.share_of_change, "rate")} {texts["of_change"]}{effect})'
        driver = f'{texts["driver"]}: {r.dimension} = {r.dimension_value} · {texts["impact"]} {impact}{share}'
    return (f'<div class="recommendation {r.flag_type}" data-kpi="{r.kpi_id}" data-area="{r.area}" '
            f'data-priority="{int(r.priority)}"><div class="label">{texts["priority"]} {int(r.priority)} · '
            f'{texts[r.flag_type]} · {texts["area"]}: {escape(area)}</div>'
            f'<strong>{escape(getattr(r, "action_" + language))}</strong>'
            f'<div class="sub driver">{escape(driver)}</div>'
            f'<div class="sub">{texts["evidence"]}: {escape(getattr(r, "evidence_" + language))} · '
            f'{texts["moves"]}: {escape(r.kpis_to_move)}</div></div>')


def held_back(data: ReportData, texts: dict) -> str:
    """A notice per delivery file held back: the KPIs lack its rows until it is released."""
    notices = [f"<li><strong>{escape(row.entity)}</strong>: {escape(held)}</li>"
               for row in data.held_back.itertuples() for held in row.held_back.split("\n")]
    if not notices:
        return ""
    return section("held-back", texts["held_back"], f'<p>{escape(texts["held_back_note"])}</p><ul>{"".join(notices)}</ul>')


def provenance(data: ReportData, texts: dict, built: str) -> str:
    p = data.provenance.iloc[0]
    line = texts["data"].format(files=int(p["files_loaded"]), entities=int(p["entities_loaded"]),
                                rows=int(p["rows_loaded"]), first=date_text(p["first_order_date"]),
                                last=date_text(p["last_order_date"]))
    return (f'<footer id="provenance"><p>{escape(texts["built"].format(built=built, source=data.source.name))}</p>'
            f'<p>{escape(line)}</p></footer>')


def change_text(numbers, row, comparison: str) -> str:
    """The change against the prior period or year as the KPI's change kind measures it: relative in
    per cent, rates in percentage points, scores in points (analysis_trends, analysis_flags)."""
    if row.change_kind == "relative":
        return numbers.change(getattr(row, f"change_{comparison}_pct"))
    return numbers.change(getattr(row, f"change_{comparison}_points"), row.change_kind)


def provisional_note(row, texts: dict) -> str:
    """A value inside its KPI's maturity lag may still change and is never flagged: say so on its card."""
    return f'<div class="sub provisional">{escape(texts["provisional"])}</div>' if row.provisional else ""


def section(section_id: str, title: str, body: str) -> str:
    return f'<section id="{section_id}"><h2>{escape(title)}</h2>{body}</section>'


def month_label(month, language: str) -> str:
    return pd.Timestamp(month).strftime("%m/%Y" if language == "de" else "%Y-%m")


def date_text(value) -> str:
    return "–" if pd.isna(value) else pd.Timestamp(value).date().isoformat()
