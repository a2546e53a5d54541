{#- Ticket KPIs by month and the ticket's dimensions (type, category, priority, agent as owner alias)
    and, for complaints, the complaining customer's (segment, region, industry, acquisition channel),
    as the parts analysis_drivers decomposes, with kpi_service_monthly's definitions: complaints by
    creation month (a count), reopen rate by resolution month (reopened over resolved tickets) and the
    backlog (tickets open at the month's end). -#}
{%- set ticket_dimensions = ticket_dimension_expressions('tickets').keys() | list -%}
{%- set customer_dimensions = customer_dimension_expressions('customers').keys() | list -%}

with tickets as (

    select
        tickets.ticket_type = 'complaint' as is_complaint,
        tickets.reopened_at is not null as is_reopened,
        tickets.created_date,
        tickets.resolved_date,
        {{ month_of('tickets.created_date') }} as created_month,
        {{ month_of('tickets.resolved_date') }} as resolved_month,
        {{- dimension_columns(ticket_dimension_expressions('tickets')) }},
        {{- dimension_columns(customer_dimension_expressions('customers')) }}
    from {{ ref('stg_crm__tickets') }} as tickets
    left join {{ ref('stg_crm__customers') }} as customers
        on customers.customer_id = tickets.customer_id

),

resolved_tickets as (

    select * from tickets where resolved_month is not null

),

open_at_month_end as (

    select months.month_start, tickets.*
    from {{ ref('int_month_spine') }} as months
    inner join tickets
        on tickets.created_date <= months.month_end
        and (tickets.resolved_date is null or tickets.resolved_date > months.month_end)

),

backlog as (

    {{ parts_by_dimension('open_at_month_end', 'month_start', ticket_dimensions, ['count(*) as backlog']) }}

),

created as (

    {{ parts_by_dimension('tickets', 'created_month', ticket_dimensions + customer_dimensions,
        ['count(case when is_complaint then 1 end) as complaints']) }}

),

resolved as (

    {{ parts_by_dimension('resolved_tickets', 'resolved_month', ticket_dimensions,
        ['count(case when is_reopened then 1 end) as reopened', 'count(*) as resolved']) }}

),

final as (

    select 'complaints' as kpi_id, month_start, dimension, dimension_value, 'contribution' as method,
        cast(complaints as double) as numerator, cast(null as double) as denominator
    from created
    union all
    select 'reopen_rate', month_start, dimension, dimension_value, 'mix_rate',
        cast(reopened as double), cast(resolved as double)
    from resolved
    union all
    select 'ticket_backlog', month_start, dimension, dimension_value, 'contribution', cast(backlog as double), null
    from backlog

)

select * from final
