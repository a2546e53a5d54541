"""KPI values as text: one formatter per locale, from Babel's CLDR data instead of hand formatting.

The report and the console summary both format through here, so a KPI reads the same wherever it
appears: the locale decides separators, the currency sign and its place, and the percent sign's
spacing (de_DE: "12.345,68 €", "12,3 %"; en_US: "€12,345.68", "12.3%"); the unit in the registry
decides the kind of number. Rates are fractions and shown as percentages with one decimal; counts
and ranks as whole numbers; hours, days, ratios and scores with one decimal. A change is shown by the
KPI's change kind (registry): relative in per cent, rates in percentage points, scores in points.
"""
from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from functools import cache

from babel import Locale
from babel.numbers import NumberPattern, format_currency, get_plus_sign_symbol

LOCALES = {"de": "de_DE", "en": "en_US"}
CURRENCY = "EUR"  # dbt var reporting_currency: every *_eur amount is in it
MISSING = "–"
WHOLE_UNITS = ("count", "rank")
# Units of changes that are differences, not relative: CLDR has no abbreviation for them.
POINT_UNITS = {"de": {"percentage_points": "Pp.", "points": "Pkt."},
               "en": {"percentage_points": "pp", "points": "pts"}}


def _with_fraction_digits(pattern: NumberPattern, digits: int) -> NumberPattern:
    """The locale's own pattern (grouping, sign and percent placement) with a fixed number of decimals."""
    fixed = copy.copy(pattern)
    fixed.frac_prec = (digits, digits)
    return fixed


def _missing(value) -> bool:
    if value is None:
        return True
    try:
        return math.isnan(float(value))
    except TypeError:  # pandas.NA
        return True


@dataclass(frozen=True)
class KpiFormatter:
    locale: Locale

    def value(self, value, unit: str) -> str:
        """A KPI value in its registry unit (eur, count, rate, ...); '–' when there is none."""
        if _missing(value):
            return MISSING
        if unit == "eur":
            return format_currency(value, CURRENCY, locale=self.locale)
        if unit == "rate":
            return self._percent(value)
        digits = 0 if unit in WHOLE_UNITS else 1
        return _with_fraction_digits(self.locale.decimal_formats[None], digits).apply(value, self.locale)

    def change(self, value, kind: str = "relative") -> str:
        """A change, signed: relative (a fraction) as a percentage, +12.3% / −4.0%; percentage_points
        and points as a number with one decimal and its unit, +2.5 pp / +2,5 Pp., −12.0 pts / −12,0 Pkt."""
        if _missing(value):
            return MISSING
        if kind == "relative":
            text = self._percent(value)
        elif kind not in POINT_UNITS[self.locale.language]:
            raise ValueError(f"unknown change kind {kind!r}; use relative or one of {sorted(POINT_UNITS['en'])}")
        else:
            number = _with_fraction_digits(self.locale.decimal_formats[None], 1).apply(value, self.locale)
            text = f"{number}\u00a0{POINT_UNITS[self.locale.language][kind]}"
        return get_plus_sign_symbol(self.locale) + text if float(value) >= 0 else text

    def impact(self, value, unit: str) -> str:
        """A driver's signed impact in its KPI's unit: rates (fractions) in percentage points, scores in
        points, amounts and counts as a signed value (+1.234,56 €); the SQL macro kpi_impact_text matches."""
        if _missing(value):
            return MISSING
        if unit == "rate":
            return self.change(float(value) * 100, "percentage_points")
        if unit == "score":
            return self.change(value, "points")
        return self.difference(value, unit)

    @property
    def separators(self) -> str:
        """Decimal and group separator, for Plotly's layout.separators: charts read like the texts."""
        symbols = self.locale.number_symbols["latn"]
        return symbols["decimal"] + symbols["group"]

    def difference(self, value, unit: str) -> str:
        """A difference in a KPI's unit, signed: +1.234,00 € / -647 (a driver's part of a change)."""
        if _missing(value):
            return MISSING
        text = self.value(value, unit)
        return get_plus_sign_symbol(self.locale) + text if float(value) >= 0 else text

    def _percent(self, value) -> str:
        return _with_fraction_digits(self.locale.percent_formats[None], 1).apply(value, self.locale)


@cache
def formatter(language: str) -> KpiFormatter:
    """The formatter of a report language (de, en)."""
    if language not in LOCALES:
        raise ValueError(f"no number format for language {language!r}; use one of {sorted(LOCALES)}")
    return KpiFormatter(Locale.parse(LOCALES[language]))
