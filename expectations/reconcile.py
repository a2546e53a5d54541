"""Totals a mart must share with the models it is built from, month by month, as one table.

A mart total that drifts from its source (a join that duplicates orders, an incremental model
that missed a day, a filter on the wrong date) still passes every row-level expectation; only a
comparison with an independent sum catches it. Each rule sums a mart column per month and the
same quantity from staging or `marts.fct_orders` per month of its date column; months present
on one side only count with 0 on the other.
"""
from __future__ import annotations

from dataclasses import dataclass

CENT = 0.005  # money is DECIMAL(18,2): equal to the cent


@dataclass(frozen=True)
class Reconciliation:
    mart: str
    measure: str  # mart column, summed per month
    source: str  # relation the same quantity is computed from
    expression: str  # aggregate over `source`
    date_column: str  # column of `source` whose month the rows count in
    tolerance: float = 0.0

    @property
    def name(self) -> str:
        return f"{self.measure}={self.source}"

    def monthly_mart_sql(self) -> str:
        date = "day" if self.mart == "kpi_daily" else "month_start"
        return f"SELECT CAST(date_trunc('month', {date}) AS DATE) AS month, sum({self.measure}) AS value FROM marts.{self.mart} GROUP BY 1"

    def sql(self) -> str:
        """(month, mart value, source value) of every month whose values differ beyond the tolerance."""
        source = (f"SELECT CAST(date_trunc('month', {self.date_column}) AS DATE) AS month, {self.expression} AS value "
                  f"FROM {self.source} GROUP BY 1")
        return (f"SELECT coalesce(m.month, s.month), m.value, s.value FROM ({self.monthly_mart_sql()}) m "
                f"FULL JOIN ({source}) s ON m.month = s.month "
                f"WHERE abs(coalesce(m.value, 0) - coalesce(s.value, 0)) > {self.tolerance} ORDER BY 1")


BANK = "staging.stg_finance__bank_transactions"

RECONCILIATIONS: tuple[Reconciliation, ...] = (
    Reconciliation("kpi_monthly", "revenue_net", "marts.fct_orders", "sum(revenue_net_eur)", "order_date", CENT),
    Reconciliation("kpi_monthly", "orders", "staging.stg_crm__orders", "count(*)", "order_date"),
    Reconciliation("kpi_sales_monthly", "revenue_net", "marts.fct_orders", "sum(revenue_net_eur)", "order_date", CENT),
    Reconciliation("kpi_daily", "revenue_net", "marts.fct_orders", "sum(revenue_net_eur)", "order_date", CENT),
    Reconciliation("kpi_daily", "orders", "staging.stg_crm__orders", "count(*)", "order_date"),
    Reconciliation("kpi_cash_monthly", "cash_inflow", BANK, "sum(CASE WHEN amount_eur > 0 THEN amount_eur ELSE 0 END)",
                   "booking_date", CENT),
    Reconciliation("kpi_cash_monthly", "cash_outflow", BANK, "sum(CASE WHEN amount_eur < 0 THEN -amount_eur ELSE 0 END)",
                   "booking_date", CENT),
    Reconciliation("kpi_cost_monthly", "cost_by_category", "staging.stg_finance__cost_bookings", "sum(amount_eur)",
                   "booking_date", CENT),
    Reconciliation("kpi_service_monthly", "tickets_created", "staging.stg_crm__tickets", "count(*)", "created_date"),
    Reconciliation("kpi_web_monthly", "sessions", "staging.stg_web__web_sessions", "count(*)", "session_date"),
)


def reconciliations_for(mart: str) -> list[Reconciliation]:
    return [rule for rule in RECONCILIATIONS if rule.mart == mart]
