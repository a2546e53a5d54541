"""The executive summary at the top of the report: a few sentences written from the marts.

The largest risks of the latest month with their top driver (analysis_flags, analysis_drivers), the
largest opportunity, and whether the year's targets will be reached (analysis_target_outlook). A
sentence appears only when the data has something to say (no filler), and a provisional month is
never called a risk: its value may still change.
"""
from __future__ import annotations

import pandas as pd

from html import escape

from kpis.formatting import formatter
from report.data import ReportData
from report.sections import change_text, section

MAX_RISKS = 2
OUTLOOKS = ("yes", "at_risk", "no")


def sentences(data: ReportData, meta: dict, texts: dict, language: str) -> list[str]:
    """Up to five sentences: two risks, one opportunity, the year's targets and the one furthest off;
    fewer when there is less to say, none for an empty warehouse."""
    if data.trends.empty:
        return []
    month = data.latest_month
    out = []
    flags = _final_flags(data.flags, month)
    for flag in flags[flags["flag_type"] == "risk"].head(MAX_RISKS).itertuples():
        out.append(_move(flag, meta, texts, language, "summary_risk") + _driver(data, flag, meta, texts, language) + ".")
    for flag in flags[flags["flag_type"] == "opportunity"].head(1).itertuples():
        out.append(_move(flag, meta, texts, language, "summary_opportunity") + ".")
    return out + _outlook(data, pd.Timestamp(month).year, meta, texts, language)


def summary_section(data: ReportData, meta: dict, texts: dict, language: str) -> str:
    """The summary as the report's first section; nothing at all when there is nothing to say."""
    lines = sentences(data, meta, texts, language)
    if not lines:
        return ""
    return section("summary", texts["summary"], "<p>" + " ".join(escape(line) for line in lines) + "</p>")


def _final_flags(flags: pd.DataFrame, month) -> pd.DataFrame:
    """The month's flags of KPIs as a whole, most severe first; a provisional month is never a risk."""
    if flags.empty:
        return pd.DataFrame(columns=["flag_type"])
    final = flags[(flags["month_start"] == month) & (flags["dimension"] == "total") & ~flags["provisional"].astype(bool)]
    return final.sort_values(["severity", "kpi_id"], ascending=[False, True])


def _move(flag, meta: dict, texts: dict, language: str, key: str) -> str:
    numbers, unit = formatter(language), meta[flag.kpi_id]["unit"]
    return texts[key].format(kpi=meta[flag.kpi_id]["label"], change=change_text(numbers, flag, "prior_period"),
                             value=numbers.value(flag.value, unit))


def _driver(data: ReportData, flag, meta: dict, texts: dict, language: str) -> str:
    """The flagged change's top driver (driver_rank 1; of equal ranks the largest, then by name)."""
    drivers = data.drivers
    if drivers.empty:
        return ""
    top = drivers[(drivers["kpi_id"] == flag.kpi_id) & (drivers["month_start"] == flag.month_start)
                  & (drivers["driver_rank"] == 1)]
    if top.empty:
        return ""
    top = top.assign(size=top["contribution"].abs()).sort_values(["size", "dimension", "dimension_value"],
                                                                  ascending=[False, True, True]).iloc[0]
    return texts["summary_driver"].format(driver=top["dimension_value"], dimension=top["dimension"].replace("_", " "),
                                          contribution=contribution_text(top["contribution"], flag.change_kind,
                                                                         meta[flag.kpi_id]["unit"], language))


def contribution_text(value, change_kind: str, unit: str, language: str) -> str:
    """A driver's part of the change as the KPI's change is shown: rates in percentage points (the
    contribution is a fraction), scores in points, amounts and counts in their unit, signed."""
    numbers = formatter(language)
    if change_kind == "percentage_points":
        return numbers.change(value * 100, change_kind)
    if change_kind == "points":
        return numbers.change(value, change_kind)
    return numbers.difference(value, unit)


def _outlook(data: ReportData, year: int, meta: dict, texts: dict, language: str) -> list[str]:
    """How many of the year's targets will be reached, and the one furthest from its target."""
    outlook = data.outlook
    if outlook.empty:
        return []
    rows = outlook[(outlook["target_year"] == year) & outlook["outlook"].isin(OUTLOOKS)]
    if rows.empty:
        return []
    counts = rows["outlook"].value_counts()
    parts = [texts[f"summary_outlook_{o}"].format(n=int(counts[o])) for o in OUTLOOKS if counts.get(o, 0)]
    if set(counts.index) == {"yes"}:
        return [texts["summary_outlook_all"].format(n=len(rows), year=year)]
    out = [texts["summary_outlook"].format(year=year, counts=", ".join(parts))]
    worst = rows[rows["outlook"] != "yes"].sort_values(["forecast_attainment", "kpi_id"]).iloc[0]
    numbers, unit = formatter(language), meta[worst["kpi_id"]]["unit"]
    out.append(texts["summary_gap"].format(
        kpi=meta[worst["kpi_id"]]["label"], verdict=texts[f"summary_verdict_{worst['outlook']}"],
        forecast=numbers.value(worst["forecast"], unit), low=numbers.value(worst["forecast_low"], unit),
        high=numbers.value(worst["forecast_high"], unit), target=numbers.value(worst["annual_target"], unit)))
    return out
