"""Which side of a double-entry booking is the expense, by the account ranges of a chart of
accounts (DATEV's SKR03 and SKR04), and which bookings are no cost at all.

A DATEV booking names two accounts, `Konto` and `Gegenkonto`; either may be the expense account
(`Konto 4600 / Gegenkonto 70001` and `Konto 1200 / Gegenkonto 4600` are both advertising
costs). Every account is classified by the first range of its chart that holds it: an expense
category, `revenue`, or a reason why it is no cost (bank, receivables, payables, ...). A booking
touching a revenue account, or none or two expense accounts, is skipped with that reason: it is
neither loaded nor quarantined, and counted in `raw._loads`.

The ranges live in the mapping's YAML; the chart is the one the EXTF header names (field 27,
"Sachkontenrahmen"), or, when the header leaves it empty, the one whose exclusive accounts the
file uses. Every value reaches SQL as a quoted literal or an integer.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from ingestion.parsing import quote_literal
from ingestion.scan import DeliveryError

COST = "cost:"  # prefix of an expense account's kind, before its category
REVENUE = "revenue"
BOTH_EXPENSE = "both accounts are expense accounts"


@dataclass(frozen=True)
class AccountRange:
    low: int
    high: int
    kind: str  # `cost:<category>`, `revenue` or the reason why the account is no cost


@dataclass(frozen=True)
class Chart:
    name: str
    exclusive: tuple[tuple[int, int], ...]  # ranges only this chart uses: detect it from a file
    ranges: tuple[AccountRange, ...]  # first match wins, so specific ranges come first


@dataclass(frozen=True)
class AccountRules:
    account: str  # vendor column of the account the amount and its S/H flag refer to
    contra_account: str
    category_column: str  # contract column that gets the expense account's category
    amount_column: str  # contract column whose sign flips when the expense is the contra account
    chart_field: int  # 1-based preamble field naming the chart ("03", "04")
    length_field: int  # 1-based preamble field with the G/L account length (4 to 8)
    charts: dict[str, Chart]
    chart: str | None = None  # resolved per delivery
    account_length: int = 4  # resolved per delivery

    @property
    def columns(self) -> tuple[str, str]:
        return self.account, self.contra_account


def _ranges(spec: dict) -> tuple[AccountRange, ...]:
    found = [AccountRange(int(a), int(b), COST + str(c)) for a, b, c in spec.get("expense", [])]
    found += [AccountRange(int(a), int(b), REVENUE) for a, b in spec.get("revenue", [])]
    found += [AccountRange(int(a), int(b), str(reason)) for a, b, reason in spec.get("not_cost", [])]
    return tuple(found)


def parse_rules(spec: dict) -> AccountRules:
    charts = {
        str(code): Chart(str(chart["name"]), tuple((int(a), int(b)) for a, b in chart["exclusive"]), _ranges(chart))
        for code, chart in spec["charts"].items()
    }
    return AccountRules(spec["account"], spec["contra_account"], spec["category_column"], spec["amount_column"],
                        int(spec["chart_field"]), int(spec["length_field"]), charts)


def _field(fields: list[str], position: int) -> str:
    return fields[position - 1].strip().strip('"').strip() if len(fields) >= position else ""


def _number(text: str, length: int) -> str:
    """A G/L account as its 4-digit number: DATEV pads longer G/L accounts with trailing zeros."""
    return f"(TRY_CAST({text} AS BIGINT) // {10 ** (length - 4)})"


def kind_sql(rules: AccountRules, text: str) -> str:
    """The kind of the account in `text`: its range's kind, `debtor or creditor account` for a
    personal account (one digit longer than G/L accounts), NULL for text that is no account."""
    chart, length = rules.charts[rules.chart], rules.account_length
    number = _number(text, length)
    whens = " ".join(f"WHEN {number} BETWEEN {r.low} AND {r.high} THEN {quote_literal(r.kind)}" for r in chart.ranges)
    outside = quote_literal(f"account outside the ranges of {chart.name}")
    return (f"CASE WHEN regexp_full_match({text}, '\\d{{1,{length}}}') THEN CASE {whens} ELSE {outside} END "
            f"WHEN regexp_full_match({text}, '\\d{{{length + 1}}}') THEN 'debtor or creditor account' END")


def _is_cost(kind: str) -> str:
    return f"starts_with({kind}, {quote_literal(COST)})"


def category_sql(account_kind: str, contra_kind: str) -> str:
    """The category of the booking's one expense account."""
    return (f"CASE WHEN {_is_cost(account_kind)} THEN substr({account_kind}, {len(COST) + 1}) "
            f"WHEN {_is_cost(contra_kind)} THEN substr({contra_kind}, {len(COST) + 1}) END")


def side_sql(account_kind: str) -> str:
    """-1 when the expense is the contra account: the S/H flag is the account's, so a debit (S)
    of the account credits the contra account, which reduces that cost."""
    return f"(CASE WHEN {_is_cost(account_kind)} THEN 1 ELSE -1 END)"


def skip_sql(account_kind: str, contra_kind: str) -> str:
    """Why the booking is no cost, or NULL. Revenue first: a revenue booking never reduces cost.
    A booking with an account that is no account number is not skipped: it fails as a bad row."""
    return (f"CASE WHEN {account_kind} = '{REVENUE}' OR {contra_kind} = '{REVENUE}' THEN 'revenue booking' "
            f"WHEN {_is_cost(account_kind)} AND {_is_cost(contra_kind)} THEN {quote_literal(BOTH_EXPENSE)} "
            f"WHEN {_is_cost(account_kind)} OR {_is_cost(contra_kind)} THEN NULL "
            f"ELSE {account_kind} END")


def _detected(con, rules: AccountRules, source_sql: str, positions: tuple[int, int]) -> list[str]:
    """The charts whose exclusive accounts the file uses."""
    found = []
    for code, chart in rules.charts.items():
        tests = " OR ".join(
            f"(regexp_full_match(trim(c{i}), '\\d{{1,{rules.account_length}}}') AND "
            f"{_number(f'trim(c{i})', rules.account_length)} BETWEEN {low} AND {high})"
            for i in positions for low, high in chart.exclusive
        )
        if con.execute(f"SELECT count(*) FILTER ({tests}) > 0 FROM {source_sql}").fetchall()[0][0]:
            found.append(code)
    return found


def resolved(con, rules: AccountRules, preamble: list[str], source_sql: str, header: list[str], label: str) -> AccountRules:
    """The rules with the delivery's chart and account length: from the header line, or, when
    it leaves the chart empty, from the accounts the file uses."""
    length_text = _field(preamble, rules.length_field)
    length = int(length_text) if length_text.isdigit() and 4 <= int(length_text) <= 8 else 4
    chart = _field(preamble, rules.chart_field).zfill(2)
    if chart not in rules.charts:
        detecting = dataclasses.replace(rules, account_length=length)
        positions = tuple(header.index(c) for c in rules.columns if c in header)
        found = _detected(con, detecting, source_sql, positions)
        if len(found) != 1:
            names = " or ".join(f"{c} ({rules.charts[c].name})" for c in rules.charts)
            uses = "accounts of more than one chart" if found else "no account that only one chart has"
            raise DeliveryError(
                f"{label}: line 1: field {rules.chart_field} (Sachkontenrahmen) is {_field(preamble, rules.chart_field)!r} "
                f"and the bookings use {uses}: set field {rules.chart_field} of the EXTF header line to {names}"
            )
        chart = found[0]
    return dataclasses.replace(rules, chart=chart, account_length=length)
