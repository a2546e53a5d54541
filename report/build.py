"""Assemble the KPI report into one self-contained HTML file (no network needed to open it)."""
from __future__ import annotations

import os
from datetime import datetime, timezone
from html import escape
from pathlib import Path

from ingestion.settings import load_settings
from report import sections
from kpis.formatting import formatter
from report.charts import ChartWriter
from report.data import default_source, load
from report.labels import TEXTS, report_language
from report.summary import summary_section

REPORT_FILE = "kpi_report.html"
STYLE = """
body{font-family:sans-serif;margin:24px;color:#222;max-width:1400px}
h1{margin-bottom:0} h2{border-bottom:2px solid #1f4e79;padding-bottom:4px;margin-top:32px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(230px,1fr));gap:12px}
.kpi{border-radius:6px;padding:10px 12px;border-left:8px solid #a5a5a5;background:#f6f6f6}
.kpi .label{font-size:13px;color:#555} .kpi .value{font-size:24px;font-weight:bold;margin:4px 0}
.sub{font-size:12px;color:#555} .kpi.provisional{border-left-style:dashed} .sub.provisional{font-style:italic}
.status-on_track{border-left-color:#27ae60;background:#eef8f1} .status-at_risk{border-left-color:#e6a100;background:#fdf6e3}
.status-off_track{border-left-color:#c0392b;background:#fbeceb}
.grid{display:grid;align-items:start;grid-template-columns:repeat(auto-fill,minmax(420px,1fr));gap:12px}
.flag{border:1px solid #ddd;border-radius:6px;padding:8px} .flag h4{margin:4px 0}
#summary p{font-size:16px;line-height:1.5;max-width:1000px} .flag.risk h4,.recommendation.risk strong,li.risk strong{color:#c0392b} .flag.opportunity h4,.recommendation.opportunity strong,li.opportunity strong{color:#1e8449}
.recommendation{border:1px solid #ddd;border-radius:6px;padding:8px 10px} .recommendation .label{font-size:13px;color:#555}
.recommendation strong{display:block;margin:4px 0} .recommendation .driver{font-weight:bold}
li{margin-bottom:10px} footer{margin-top:32px;font-size:12px;color:#666;border-top:1px solid #ddd}
"""


def build_report(source: Path | None = None, out: Path | None = None, language: str | None = None) -> Path:
    """Read the published marts at `source` (default: the serving copy) and write the report to `out`."""
    settings = load_settings()
    language = report_language(language)
    texts = TEXTS[language]
    data = load(source or default_source(settings))
    meta = sections.kpi_meta(data, language)
    charts = ChartWriter(formatter(language).separators)
    built = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    body = "".join([
        f"<h1>{escape(texts['title'])}</h1>",
        summary_section(data, meta, texts, language),
        sections.held_back(data, texts),
        sections.headline(data, meta, texts, language),
        sections.trends(data, meta, language, texts, charts),
        sections.risks(data, meta, texts, language, charts),
        sections.recommendations(data, texts, language),
        sections.provenance(data, texts, built),
    ])
    page = (f'<!DOCTYPE html><html lang="{language}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(texts['title'])}</title><style>{STYLE}</style></head><body>{body}</body></html>")
    out = out or settings.reports_dir / REPORT_FILE
    out.parent.mkdir(parents=True, exist_ok=True)
    staged = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    staged.write_text(page, encoding="utf-8")
    os.replace(staged, out)
    return out
