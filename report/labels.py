"""Report texts in German (default) and English, chosen by CRM_REPORT_LANGUAGE.

KPI and family names come from the KPI registry (kpis/registry.yml), numbers from kpis.formatting.
"""
from __future__ import annotations

import os

from kpis.formatting import LOCALES

LANGUAGES = tuple(LOCALES)

TEXTS = {
    "de": {
        "summary": "Auf einen Blick",
        "summary_risk": "Risiko: {kpi} {change} ggü. Vormonat auf {value}",
        "summary_driver": ", größter Treiber: {driver} ({dimension}, {contribution})",
        "summary_opportunity": "Größte Chance: {kpi} {change} ggü. Vormonat auf {value}",
        "summary_outlook": "Jahresziele {year}: {counts}.",
        "summary_outlook_yes": "{n} voraussichtlich erreicht", "summary_outlook_at_risk": "{n} gefährdet",
        "summary_outlook_no": "{n} voraussichtlich verfehlt",
        "summary_outlook_all": "Alle {n} Jahresziele {year} werden voraussichtlich erreicht.",
        "summary_gap": "Am weitesten vom Ziel ({verdict}): {kpi} mit einer Prognose von {forecast} (Spanne {low} bis {high}) gegen das Jahresziel {target}.",
        "summary_verdict_at_risk": "gefährdet", "summary_verdict_no": "voraussichtlich verfehlt",
        "title": "KPI-Bericht", "headline": "Kennzahlen {month} gegen Ziel", "trends": "Entwicklung",
        "risks": "Risiken und Chancen {month}", "recommendations": "Handlungsempfehlungen {month}",
        "value": "Wert", "prior_period": "Vormonat", "prior_year": "Vorjahresmonat", "target": "Ziel",
        "attainment": "Zielerreichung", "no_target": "kein Ziel", "risk": "Risiko", "opportunity": "Chance",
        "on_track": "im Plan", "at_risk": "gefährdet", "off_track": "verfehlt", "no_data": "keine Daten",
        "drivers_chart": "Treiber der Veränderung ggü. Vormonat, alle Dimensionen",
        "contribution": "Beitrag", "axis_units": {"rate": "Pp.", "score": "Pkt.", "eur": "€", "hours": "Stunden"},
        "none_flagged": "Keine Auffälligkeiten in diesem Monat.",
        "evidence": "Beleg", "moves": "soll bewegen", "priority": "Priorität", "area": "verantwortlich",
        "driver": "Treiber", "no_driver": "kein Treiber nach Dimension", "impact": "Wirkung",
        "of_change": "der Veränderung", "mix": "Mix-Effekt", "rate": "Raten-Effekt", "built": "Erstellt {built} aus {source}",
        "data": "Daten: {files} Lieferdateien ({entities} Entitäten, {rows} Zeilen), Aufträge {first} bis {last}",
        "change": "ggü. Vormonat", "change_year": "ggü. Vorjahr",
        "provisional": "vorläufig: noch nicht alle Daten da, daher nicht bewertet", "provisional_short": "vorläufig",
        "held_back": "Zurückgehaltene Lieferungen",
        "held_back_note": ("Diese Lieferdateien haben ihre Prüfungen nicht bestanden. Ihre Zeilen fehlen in allen "
                           "Kennzahlen, bis die Datei korrigiert, ersetzt oder gelöscht wird (Tabelle marts.data_status)."),
    },
    "en": {
        "summary": "At a glance",
        "summary_risk": "Risk: {kpi} {change} vs prior month to {value}",
        "summary_driver": ", largest driver: {driver} ({dimension}, {contribution})",
        "summary_opportunity": "Largest opportunity: {kpi} {change} vs prior month to {value}",
        "summary_outlook": "Annual targets {year}: {counts}.",
        "summary_outlook_yes": "{n} expected to be met", "summary_outlook_at_risk": "{n} at risk",
        "summary_outlook_no": "{n} expected to be missed",
        "summary_outlook_all": "All {n} annual targets for {year} are expected to be met.",
        "summary_gap": "Furthest from target ({verdict}): {kpi}, forecast {forecast} (range {low} to {high}) against the annual target {target}.",
        "summary_verdict_at_risk": "at risk", "summary_verdict_no": "expected to be missed",
        "title": "KPI report", "headline": "KPIs {month} against target", "trends": "Trends",
        "risks": "Risks and opportunities {month}", "recommendations": "Recommendations {month}",
        "value": "Value", "prior_period": "Prior month", "prior_year": "Same month last year", "target": "Target",
        "attainment": "Attainment", "no_target": "no target", "risk": "Risk", "opportunity": "Opportunity",
        "on_track": "on track", "at_risk": "at risk", "off_track": "off track", "no_data": "no data",
        "drivers_chart": "Drivers of the change vs prior month, every dimension",
        "contribution": "Contribution", "axis_units": {"rate": "pp", "score": "pts", "eur": "€", "hours": "hours"}, "none_flagged": "Nothing flagged this month.",
        "evidence": "Evidence", "moves": "should move", "priority": "Priority", "area": "owner",
        "driver": "Driver", "no_driver": "no dimensional driver", "impact": "Impact",
        "of_change": "of the change", "mix": "mix effect", "rate": "rate effect", "built": "Built {built} from {source}",
        "data": "Data: {files} delivery files ({entities} entities, {rows} rows), orders {first} to {last}",
        "change": "vs prior month", "change_year": "vs prior year",
        "provisional": "provisional: not all data in yet, so not assessed", "provisional_short": "provisional",
        "held_back": "Deliveries held back",
        "held_back_note": ("These delivery files failed their checks. Their rows are missing from every KPI until "
                           "the file is corrected, replaced or deleted (table marts.data_status)."),
    },
}


def report_language(explicit: str | None = None) -> str:
    language = (explicit or os.environ.get("CRM_REPORT_LANGUAGE") or "de").lower()
    if language not in LANGUAGES:
        raise ValueError(f"CRM_REPORT_LANGUAGE must be one of {LANGUAGES}, not {language!r}")
    return language

