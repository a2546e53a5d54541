-- Grain: every monthly KPI mart has exactly one row per month of int_month_spine (no fan-out, no
-- missing month), and kpi_social_monthly / kpi_cost_monthly one row per month and channel / category.
{%- set monthly = ['kpi_sales_monthly', 'kpi_retention_monthly', 'kpi_service_monthly', 'kpi_marketing_monthly',
    'kpi_web_monthly', 'kpi_cash_monthly'] %}

with spine as (

    select month_start from {{ ref('int_month_spine') }}

),

counts as (

    {%- for model in monthly %}
    select '{{ model }}' as model_name, spine.month_start, count(mart.month_start) as row_count
    from spine
    left join {{ ref(model) }} as mart on mart.month_start = spine.month_start
    group by spine.month_start
    union all
    {%- endfor %}
    select 'kpi_social_monthly', spine.month_start, count(mart.month_start) - (select count(distinct channel) from {{ ref('kpi_social_monthly') }}) + 1
    from spine
    left join {{ ref('kpi_social_monthly') }} as mart on mart.month_start = spine.month_start
    group by spine.month_start
    union all
    select 'kpi_cost_monthly', spine.month_start, count(mart.month_start) - (select count(distinct cost_category) from {{ ref('kpi_cost_monthly') }}) + 1
    from spine
    left join {{ ref('kpi_cost_monthly') }} as mart on mart.month_start = spine.month_start
    group by spine.month_start

)

select *
from counts
where row_count <> 1
