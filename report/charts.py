"""Plotly figures as HTML fragments, with plotly.js embedded in the first one only.

The report must open without network access, so the library is inlined (include_plotlyjs=True)
exactly once; every later figure relies on it (False). No CDN, no MathJax.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

COLOURS = {"value": "#1f4e79", "prior_period": "#8faadc", "prior_year": "#a5a5a5", "target": "#c55a11",
           "adverse": "#c0392b", "favourable": "#27ae60"}
PLOT_CONFIG = {"displaylogo": False, "responsive": True, "displayModeBar": False}


class ChartWriter:
    def __init__(self, separators: str = ".,") -> None:
        self.count = 0
        self.separators = separators  # decimal and group separator of the report's locale

    def html(self, figure: go.Figure) -> str:
        self.count += 1
        figure.update_layout(template="plotly_white", margin=dict(l=50, r=10, t=40, b=40), height=280,
                             legend=dict(orientation="h", y=-0.2), font=dict(family="sans-serif", size=11),
                             separators=self.separators)
        return figure.to_html(full_html=False, include_plotlyjs=self.count == 1, include_mathjax=False,
                              div_id=f"chart-{self.count}", config=PLOT_CONFIG)


def trend_figure(trend: pd.DataFrame, targets: pd.DataFrame, title: str, texts: dict) -> go.Figure:
    """One KPI over time beside its prior month, the same month a year earlier and its target; provisional
    months are circled."""
    figure = go.Figure()
    lines = [("value", "value", "solid"), ("prior_period_value", "prior_period", "dot"),
             ("prior_year_value", "prior_year", "dash")]
    for column, key, dash in lines:
        figure.add_trace(go.Scatter(x=trend["month_start"], y=trend[column], name=texts[key], mode="lines",
                                    line=dict(color=COLOURS[key], dash=dash, width=2.5 if key == "value" else 1.5)))
    provisional = trend[trend["provisional"].astype("boolean").fillna(False)]
    if not provisional.empty:  # inside the KPI's maturity lag: the value may still change
        figure.add_trace(go.Scatter(x=provisional["month_start"], y=provisional["value"], name=texts["provisional_short"],
                                    mode="markers", marker=dict(symbol="circle-open", size=10, color=COLOURS["value"])))
    if not targets.empty:
        figure.add_trace(go.Scatter(x=targets["month_start"], y=targets["target_value"], name=texts["target"],
                                    mode="lines", line=dict(color=COLOURS["target"], shape="hv", width=1.5)))
    figure.update_layout(title=dict(text=title, font=dict(size=13)))
    return figure


def driver_figure(drivers: pd.DataFrame, unit: str, title: str, texts: dict, top: int = 8) -> go.Figure:
    """The drill-down of one flag: its top drivers across every dimension (analysis_drivers, by
    driver_rank), each bar the driver's part of the change in the KPI's unit. A ratio's bar is split
    into the mix effect (a shifted share of the denominator) and the rate effect (a changed rate
    within the value), stacked; a sum's bar is its contribution. Rates are shown in points (×100)."""
    shown = drivers.sort_values(["driver_rank", "dimension"]).head(top).iloc[::-1]
    scale = 100.0 if unit == "rate" else 1.0
    labels = shown["dimension"] + " = " + shown["dimension_value"]
    split = shown["method"] == "mix_rate"
    figure = go.Figure()
    for name, column, colour in ((texts["mix"], "mix_effect", COLOURS["prior_period"]),
                                 (texts["rate"], "rate_effect", COLOURS["value"])):
        figure.add_trace(go.Bar(x=shown[column].where(split).astype(float) * scale, y=labels, orientation="h",
                                name=name[:1].upper() + name[1:], marker_color=colour))
    figure.add_trace(go.Bar(x=shown["contribution"].where(~split).astype(float) * scale, y=labels, orientation="h",
                            name=texts["contribution"], marker_color=COLOURS["target"]))
    figure.update_layout(title=dict(text=title, font=dict(size=13)), barmode="relative",
                         xaxis_title=texts["axis_units"].get(unit, ""))
    return figure
