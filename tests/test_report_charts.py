"""The drill-down chart of a flag: its top drivers across every dimension, a ratio's part split into
mix and rate effect, in the KPI's unit (rates in points)."""
from __future__ import annotations

import math

import pandas as pd

from report.charts import driver_figure
from report.labels import TEXTS


def _drivers() -> pd.DataFrame:
    return pd.DataFrame({
        "dimension": ["utm_source", "landing_page", "device", "utm_medium"],
        "dimension_value": ["gutschein-portal.de", "/start", "mobile", "cpc"],
        "method": ["mix_rate"] * 4,
        "mix_effect": [-0.020, -0.001, 0.0005, -0.002],
        "rate_effect": [-0.002, -0.003, 0.0, -0.0005],
        "contribution": [-0.022, -0.004, 0.0005, -0.0025],
        "driver_rank": [1, 2, 4, 3],
    })


def test_a_ratio_s_drivers_are_stacked_mix_and_rate_effects_in_points_by_rank():
    figure = driver_figure(_drivers(), "rate", "title", TEXTS["en"], top=3)
    mix, rate, contribution = figure.data
    assert (mix.name, rate.name) == ("Mix effect", "Rate effect")
    # the top three by rank, drawn bottom-up so that rank 1 is on top
    assert list(mix.y) == ["utm_medium = cpc", "landing_page = /start", "utm_source = gutschein-portal.de"]
    assert [round(x, 6) for x in mix.x] == [-0.2, -0.1, -2.0]
    assert [round(x, 6) for x in rate.x] == [-0.05, -0.3, -0.2]
    assert all(math.isnan(x) for x in contribution.x), "a ratio's part is its mix and rate, not a third bar"
    assert figure.layout.barmode == "relative" and figure.layout.xaxis.title.text == "pp"


def test_a_sum_s_drivers_are_contributions_in_its_unit():
    drivers = _drivers().assign(method="contribution", mix_effect=None, rate_effect=None,
                                contribution=[-1200.0, 300.0, 10.0, -50.0])
    figure = driver_figure(drivers, "eur", "Titel", TEXTS["de"])
    mix, rate, contribution = figure.data
    assert list(contribution.x) == [10.0, -50.0, 300.0, -1200.0]
    assert all(math.isnan(x) for x in list(mix.x) + list(rate.x))
    assert figure.layout.xaxis.title.text == "€" and contribution.name == "Beitrag"
