{#- KPI resolution_hours by category and priority: one row per month (of the local resolved date),
    ticket type, category and priority, for the tickets resolved in the month. #}
with tickets as (

    select
        *,
        {{ dbt.datediff('created_at', 'resolved_at', 'second') }} / 3600.0 as resolution_hours
    from {{ ref('stg_crm__tickets') }}
    where resolved_date is not null

),

final as (

    select
        {{ month_of('resolved_date') }} as month_start,
        ticket_type,
        coalesce(category, '(none)') as category,
        coalesce(priority, '(none)') as priority,
        count(*) as tickets_resolved,
        cast({{ percentile('resolution_hours', 0.5) }} as double) as resolution_hours_median,
        cast({{ percentile('resolution_hours', 0.9) }} as double) as resolution_hours_p90
    from tickets
    group by 1, 2, 3, 4

)

select * from final
