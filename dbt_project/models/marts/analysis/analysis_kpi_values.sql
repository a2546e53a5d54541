{#-
    Every KPI value in one long table, so targets, trends, flags and the report need no per-mart code.
    kpi_marts lists the monthly KPI marts (month_start plus KPI columns) and what each contributes:
    "kpi_id" for a column named like the KPI id of KPI_SPEC.md, "kpi_id=column" otherwise. A mart with
    one row per month and dimension value (social channel, cost category) names that column as
    dimension; its KPIs must be additive: they become dimensional rows and, summed, the total.
    Adding a mart is one entry. Only marts that exist may be listed: dbt resolves ref() while parsing,
    before the graph could tell which exist. Each KPI id comes from one mart only.
    Order KPIs by region, segment, sales channel and product category come from analysis_order_dimensions.
-#}
{%- set kpi_marts = {
    'kpi_monthly': {'kpis': ['revenue_net', 'orders', 'units_sold', 'new_customers', 'arpc', 'avg_order_value', 'cancellation_rate']},
    'kpi_retention_monthly': {'kpis': ['active_customers', 'purchase_frequency', 'repeat_purchase_rate', 'repeat_buyers', 'return_rate', 'churned_customers', 'churn_rate']},
    'kpi_service_monthly': {'kpis': ['complaints', 'resolution_hours=resolution_hours_median', 'first_response_hours=first_response_hours_median', 'ticket_backlog', 'reopen_rate', 'csat=csat_satisfied_share', 'satisfaction_index', 'nps']},
    'kpi_marketing_monthly': {'kpis': ['cac', 'campaign_response_rate=campaign_response_rate_clicked', 'campaign_conversion_rate']},
    'kpi_web_monthly': {'kpis': ['visitors', 'sessions', 'bounce_rate', 'ctr', 'conversion_rate', 'revenue_per_session', 'social_attributed_revenue']},
    'kpi_social_monthly': {'dimension': 'channel', 'kpis': ['social_interactions', 'follower_growth']},
    'kpi_cash_monthly': {'kpis': ['cash_inflow', 'cash_outflow', 'net_cashflow', 'cost_to_serve', 'revenue_lost', 'payment_match_rate']},
    'kpi_cost_monthly': {'dimension': 'cost_category', 'kpis': ['cost_by_category']},
} -%}

with

{% for mart in kpi_marts %}
{{ mart }} as (

    select * from {{ ref(mart) }}

),
{% endfor %}

dimensional as (

    select * from {{ ref('analysis_order_dimensions') }}

),

totals as (

    {%- set selects = [] %}
    {%- for mart, spec in kpi_marts.items() %}
    {%- for entry in spec['kpis'] %}
    {%- set kpi = entry.split('=')[0] %}
    {%- set column = entry.split('=')[-1] %}
    {%- set cast_value = "cast(" ~ column ~ " as double)" %}
    {%- set lead = "select '" ~ kpi ~ "' as kpi_id, month_start, " %}
    {%- set tail = ", cast(null as double) as numerator, cast(null as double) as denominator, '" ~ mart ~ "' as source_model from " ~ mart %}
    {%- if spec.get('dimension') %}
    {%- do selects.append(lead ~ "'total' as dimension, 'total' as dimension_value, sum(" ~ cast_value ~ ") as value" ~ tail ~ " group by month_start") %}
    {%- do selects.append(lead ~ "'" ~ spec['dimension'] ~ "', coalesce(cast(" ~ spec['dimension'] ~ " as varchar), 'unknown'), " ~ cast_value ~ tail) %}
    {%- else %}
    {%- do selects.append(lead ~ "'total' as dimension, 'total' as dimension_value, " ~ cast_value ~ " as value" ~ tail) %}
    {%- endif %}
    {%- endfor %}
    {%- endfor %}
    {{ selects | join('\n    union all\n    ') }}

),

final as (

    select kpi_id, month_start, dimension, dimension_value, value, numerator, denominator, source_model
    from totals
    union all
    select kpi_id, month_start, dimension, dimension_value, value, numerator, denominator, 'analysis_order_dimensions'
    from dimensional

)

select * from final
