{#- Ticket KPIs by month and the ticket's dimensions (type, category, priority, agent as owner alias)
    and, for complaints, the complaining customer's (segment, region, industry, acquisition channel),
    as the parts analysis_drivers decomposes, with kpi_service_monthly's definitions: complaints by
    creation month (a count) and reopen rate by resolution month (reopened over resolved tickets). -#}
{%- set ticket_dimensions = {'ticket_type': 'ticket_type', 'ticket_category': 'category',
    'ticket_priority': 'priority', 'agent': 'agent'} -%}
{%- set customer_dimensions = ['segment', 'region', 'industry', 'acquisition_channel'] -%}

with tickets as (

    select
        tickets.ticket_type = 'complaint' as is_complaint,
        tickets.reopened_at is not null as is_reopened,
        {{ month_of('tickets.created_date') }} as created_month,
        {{ month_of('tickets.resolved_date') }} as resolved_month,
        coalesce(tickets.ticket_type, 'unknown') as ticket_type,
        coalesce(tickets.category, 'unknown') as category,
        coalesce(tickets.priority, 'unknown') as priority,
        coalesce({{ owner_alias('tickets.agent_pseudonym') }}, 'unknown') as agent,
        {%- for dimension in customer_dimensions %}
        coalesce(customers.{{ dimension }}, 'unknown') as {{ dimension }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ ref('stg_crm__tickets') }} as tickets
    left join {{ ref('stg_crm__customers') }} as customers
        on customers.customer_id = tickets.customer_id

),

final as (

    {%- for dimension, column in ticket_dimensions.items() %}
    select 'complaints' as kpi_id, created_month as month_start, '{{ dimension }}' as dimension,
        {{ column }} as dimension_value, 'contribution' as method,
        cast(count(case when is_complaint then 1 end) as double) as numerator, cast(null as double) as denominator
    from tickets
    group by created_month, {{ column }}
    union all
    select 'reopen_rate', resolved_month, '{{ dimension }}', {{ column }}, 'mix_rate',
        cast(count(case when is_reopened then 1 end) as double), cast(count(*) as double)
    from tickets
    where resolved_month is not null
    group by resolved_month, {{ column }}
    union all
    {%- endfor %}
    {%- for dimension in customer_dimensions %}
    select 'complaints', created_month, '{{ dimension }}', {{ dimension }}, 'contribution',
        cast(count(case when is_complaint then 1 end) as double), null
    from tickets
    group by created_month, {{ dimension }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

)

select * from final
