"""Provisional months in the report's trend charts: circled, so a reader does not take a value still
inside its KPI's maturity lag for a final one. No warehouse needed: a hand-made trend frame."""
from __future__ import annotations

import pandas as pd

from report.charts import trend_figure
from report.labels import TEXTS


def test_provisional_months_are_circled_in_the_trend_chart():
    trend = pd.DataFrame({"month_start": pd.to_datetime(["2025-10-01", "2025-11-01", "2025-12-01"]),
                          "value": [0.9, 0.85, 0.38], "prior_period_value": [None, 0.9, 0.85],
                          "prior_year_value": [None, None, None], "provisional": [False, True, True]})
    traces = {t.name: t for t in trend_figure(trend, pd.DataFrame(), "Zahlungsabgleichsquote", TEXTS["de"]).data}
    assert list(traces["vorläufig"].x) == list(pd.to_datetime(["2025-11-01", "2025-12-01"]))
    assert list(traces["vorläufig"].y) == [0.85, 0.38]
    final = trend.assign(provisional=False)
    assert "vorläufig" not in {t.name for t in trend_figure(final, pd.DataFrame(), "x", TEXTS["de"]).data}
