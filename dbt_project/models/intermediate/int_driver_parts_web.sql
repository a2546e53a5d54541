{#- Web KPIs per month and traffic dimension, as the parts analysis_drivers decomposes: sessions
    (a count, numerator only) and conversion and bounce rate (numerator over sessions). Sessions by
    their local start month, as in kpi_web_monthly, so every dimension adds up to its totals. -#}
{%- set dimensions = {'utm_source': 'source', 'utm_medium': 'medium', 'utm_campaign': 'campaign', 'landing_page': 'landing_page'} -%}

with sessions as (

    select
        session_month,
        is_converted,
        is_bounce,
        {%- for dimension, column in dimensions.items() %}
        coalesce(cast({{ column }} as {{ dbt.type_string() }}), 'unknown') as {{ dimension }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ ref('int_web_sessions') }}

),

by_dimension as (

    {{ parts_by_dimension('sessions', 'session_month', dimensions.keys() | list, [
        'count(*) as sessions',
        'count(case when is_converted then 1 end) as converted_sessions',
        'count(case when is_bounce then 1 end) as bounced_sessions']) }}

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

)

select * from final
