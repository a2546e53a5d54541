{#
    Calendar: kpi_daily has exactly one row for every day from its first to its last day.
#}
select
    min(day) as first_day,
    max(day) as last_day,
    count(*) as day_rows,
    count(distinct day) as days
from {{ ref('kpi_daily') }}
having count(*) > 0
    and (
        count(*) <> count(distinct day)
        or count(*) <> {{ dbt.datediff('min(day)', 'max(day)', 'day') }} + 1
    )
