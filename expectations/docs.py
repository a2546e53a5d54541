"""Offline Data Docs: one static HTML page of every suite's latest result and recent runs.

GX's own Data Docs load Bootstrap, jQuery and fonts from CDNs and render blank without network
access. This page has inline CSS, no scripts and no remote references, so it opens from disk
on an offline machine; it is rebuilt from the JSON results, which remain the record.
"""
from __future__ import annotations

from html import escape
from pathlib import Path

from .outcomes import WARNING, SuiteResult
from .store import atomic_write_text, read_results

HISTORY = 10

CSS = """
body{font:14px/1.4 system-ui,sans-serif;margin:2rem;color:#222}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}
th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f3f3} td.n{text-align:right}
.pass{color:#176f2c;font-weight:600} .fail{color:#b00020;font-weight:600} .warn{color:#8a5a00;font-weight:600}
code{font-size:12px} h2{margin-top:2rem}
"""


def _status(success: bool, warning: bool = False) -> str:
    """A failure that blocked nothing (GX severity "warning") reads as a warning."""
    if success:
        return '<span class="pass">passed</span>'
    return '<span class="warn">warning</span>' if warning else '<span class="fail">FAILED</span>'


def _anchor(name: str) -> str:
    return "suite-" + "".join(ch if ch.isalnum() else "-" for ch in name)


def _row(cells: list[str]) -> str:
    return "<tr>" + "".join(cells) + "</tr>"


def _td(value, numeric: bool = False) -> str:
    return f'<td class="n">{escape(str(value))}</td>' if numeric else f"<td>{escape(str(value))}</td>"


def _summary(results: dict[str, list[SuiteResult]]) -> str:
    """Latest run per suite, plus failed recent runs: one run validates one file, so the latest
    run alone could hide a bad file validated just before it."""
    head = _row([f"<th>{h}</th>" for h in ("suite", "latest", "last run", "scope", "rows", "expectations", "failed",
                                             f"failed runs of last {HISTORY}")])
    return "<table>" + head + "".join(_summary_row(runs) for runs in results.values()) + "</table>"


def _summary_row(runs: list[SuiteResult]) -> str:
    r = runs[0]
    link = f'<td><a href="#{_anchor(r.suite_name)}">{escape(r.suite_name)}</a></td>'
    return _row([link, f"<td>{_status(r.success, not r.blocking)}</td>", _td(r.validated_at), _td(r.scope),
                 _td(r.element_count, True), _td(r.evaluated, True), _td(r.failed, True),
                 _td(sum(not run.success for run in runs), True)])


def _outcomes(result: SuiteResult) -> str:
    if not result.outcomes:
        return "<p>No rows to validate.</p>"
    head = _row([f"<th>{h}</th>" for h in ("expectation", "column", "status", "unexpected", "rows", "sample", "error")])
    rows = [
        _row([f"<td><code>{escape(o.expectation)}</code></td>", _td(o.column or ""),
              f"<td>{_status(o.success, o.severity == WARNING)}</td>",
              _td(o.unexpected_count, True), _td(o.element_count, True),
              _td(", ".join(map(repr, o.sample))), _td(o.error or "")])
        for o in result.outcomes
    ]
    return "<table>" + head + "".join(rows) + "</table>"


def _failure(outcome) -> str:
    return f"{outcome.expectation}({outcome.column}): {outcome.unexpected_count}"


def _history(runs: list[SuiteResult]) -> str:
    head = _row([f"<th>{h}</th>" for h in ("run", "status", "scope", "rows", "failed", "failures")])
    rows = [_row([_td(r.run_id), f"<td>{_status(r.success, not r.blocking)}</td>", _td(r.scope), _td(r.element_count, True),
                  _td(r.failed, True), _td("; ".join(_failure(o) for o in r.failures))])
            for r in runs]
    return "<table>" + head + "".join(rows) + "</table>"


def render(results: dict[str, list[SuiteResult]]) -> str:
    sections = [
        f'<h2 id="{_anchor(name)}">{escape(name)}</h2><p>Latest run <code>{escape(runs[0].run_id)}</code>, '
        f"{_status(runs[0].success, not runs[0].blocking)}</p>{_outcomes(runs[0])}<h3>Recent runs</h3>{_history(runs)}"
        for name, runs in results.items()
    ]
    body = _summary(results) + "".join(sections) if results else "<p>No validation results yet.</p>"
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Data Docs: validations</title>'
            f"<style>{CSS}</style></head><body><h1>Validation results</h1>{body}</body></html>\n")


def build_data_docs(results_dir: Path, site_dir: Path) -> Path:
    """(Re)write `<site_dir>/index.html` from the newest results in `results_dir`; returns its path."""
    index = Path(site_dir) / "index.html"
    atomic_write_text(index, render(read_results(results_dir, per_suite=HISTORY)))
    return index
