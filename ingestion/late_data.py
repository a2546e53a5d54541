"""Late data: rows delivered since the last build that belong to days before the run's window.

The daily-partitioned models rebuild the days of a run's window (plus a short look-back). A
delivery that changes rows of older days (exchange rates for December corrected in January, a late
order, a changed status) would otherwise stay out of them until someone backfills those days. Each
entity whose rows the daily models select by date names that date in its contract
(`business_date`); a row counts when it was loaded after the last build and no earlier load holds
the same values (an export repeating old rows changes nothing and rebuilds nothing).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ingestion.contract import Contract


@dataclass(frozen=True)
class LateRows:
    entity: str
    rows: int
    first_day: date
    last_day: date

    def describe(self) -> str:
        days = self.first_day.isoformat() if self.first_day == self.last_day else f"{self.first_day} to {self.last_day}"
        return f"{self.entity}: {self.rows:,} rows changed for {days}"


def _day_sql(contract: Contract, timezone: str) -> str:
    """The local day of the contract's business date (timestamps are stored in UTC), as the
    dbt macro `to_reporting_date` computes it."""
    column = f'"{contract.business_date}"'
    if contract.column(contract.business_date).type == "date":
        return column
    return f"cast(({column} at time zone 'UTC') at time zone '{timezone}' as date)"


def _changed_sql(contract: Contract, timezone: str) -> str:
    """Count and day range of the rows loaded after $since, dated before $before, whose values no
    row loaded up to $since has. Earlier rows are read only for the keys delivered."""
    columns = ", ".join(f'"{c}"' for c in contract.column_names)
    same_key = " and ".join(f'earlier."{k}" = delivered."{k}"' for k in contract.primary_key)
    day = _day_sql(contract, timezone)
    return f"""
        with delivered as (
            select {columns} from {contract.table}
            where _loaded_at > cast($since as timestamptz)::timestamp and {day} < $before
        ),
        changed as (
            select {columns} from delivered
            except
            select {columns} from {contract.table} as earlier
            where earlier._loaded_at <= cast($since as timestamptz)::timestamp
                and exists (select 1 from delivered where {same_key})
        )
        select count(*), min({day}), max({day}) from changed"""


def late_rows(con, contracts: list[Contract], since: datetime, before: date, timezone: str) -> list[LateRows]:
    """Per entity with a business date, the rows loaded after `since` (time zone aware) that change
    days before `before`; entities without such rows are left out."""
    con.execute("SET TimeZone = 'UTC'")  # the zone the loader stamps _loaded_at in (`ingestion.loader`)
    found = []
    for contract in contracts:
        if not contract.business_date:
            continue
        rows, first, last = con.execute(_changed_sql(contract, timezone), {"since": since, "before": before}).fetchone()
        if rows:
            found.append(LateRows(contract.entity, rows, first, last))
    return found
