{#- Web KPIs per month and traffic dimension, as the parts analysis_drivers decomposes: sessions
    (a count, numerator only), conversion and bounce rate (numerator over sessions) and revenue per
    session (net revenue of the orders converted in the session, int_web_order_attribution, over
    sessions). Sessions by their local start month, as in kpi_web_monthly, so every dimension adds up
    to its totals. -#}
{%- set dimensions = {'utm_source': 'source', 'utm_medium': 'medium', 'utm_campaign': 'campaign', 'landing_page': 'landing_page'} -%}

with web_revenue as (

    select session_id, sum(revenue_net_eur) as revenue_net
    from {{ ref('int_web_order_attribution') }}
    group by session_id

),

sessions as (

    select
        sessions.session_month,
        sessions.is_converted,
        sessions.is_bounce,
        cast(coalesce(web_revenue.revenue_net, 0) as double) as revenue_net,
        {%- for dimension, column in dimensions.items() %}
        coalesce(cast(sessions.{{ column }} as {{ dbt.type_string() }}), 'unknown') as {{ dimension }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ ref('int_web_sessions') }} as sessions
    left join web_revenue
        on web_revenue.session_id = sessions.session_id

),

by_dimension as (

    {{ parts_by_dimension('sessions', 'session_month', dimensions.keys() | list, [
        'count(*) as sessions',
        'count(case when is_converted then 1 end) as converted_sessions',
        'count(case when is_bounce then 1 end) as bounced_sessions',
        'sum(revenue_net) as revenue_net']) }}

),

final as (

    select 'sessions' as kpi_id, month_start, dimension, dimension_value, 'contribution' as method,
        cast(sessions as double) as numerator, cast(null as double) as denominator
    from by_dimension
    union all
    select 'conversion_rate', month_start, dimension, dimension_value, 'mix_rate',
        cast(converted_sessions as double), cast(sessions as double)
    from by_dimension
    union all
    select 'bounce_rate', month_start, dimension, dimension_value, 'mix_rate',
        cast(bounced_sessions as double), cast(sessions as double)
    from by_dimension
    union all
    select 'revenue_per_session', month_start, dimension, dimension_value, 'mix_rate',
        revenue_net, cast(sessions as double)
    from by_dimension

)

select * from final
