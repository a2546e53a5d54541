{#-
    Every KPI value in one long table, so targets, trends, flags and the report need no per-mart code.
    The KPIs come from the registry (kpis/registry.yml, through the generated macro kpi_registry()): every
    KPI marked analysis, from the column of its monthly mart (month_start plus KPI columns). A mart with one
    row per month and dimension value (social channel, cost category) names that column as the KPI's
    mart_dimension; its KPIs must be additive: they become dimensional rows and, summed, the total.
    Order KPIs by region, segment, sales channel and product category come from analysis_order_dimensions.
    Rates and scores carry the numerator and denominator columns the registry names for them (the
    significance test of analysis_flags needs the denominator). Every row carries how its change is
    measured (change_kind) and whether its period is still provisional: the period's end plus the KPI's
    maturity_lag_days lies after as_of_date, the last order date loaded (analysis_data_provenance).
-#}
{%- set kpis = kpi_registry() | selectattr('analysis') | list -%}

with

{% for mart in kpis | map(attribute='mart') | unique %}
{{ mart }} as (

    select * from {{ ref(mart) }}

),
{% endfor %}

dimensional as (

    select * from {{ ref('analysis_order_dimensions') }}

),

provenance as (

    select * from {{ ref('analysis_data_provenance') }}

),

kpi_attributes (kpi_id, change_kind, maturity_lag_days) as (

    values
    {%- for kpi in kpis %}
        ('{{ kpi.id }}', '{{ kpi.change_kind }}', {{ kpi.maturity_lag_days }}){{ ',' if not loop.last }}
    {%- endfor %}

),

totals as (

    {%- set selects = [] %}
    {%- for kpi in kpis %}
    {%- set cast_value = "cast(" ~ kpi.column ~ " as double)" %}
    {%- set lead = "select '" ~ kpi.id ~ "' as kpi_id, month_start, " %}
    {%- set tail = ", cast(" ~ (kpi.numerator or 'null') ~ " as double) as numerator, cast(" ~ (kpi.denominator or 'null')
        ~ " as double) as denominator, '" ~ kpi.mart ~ "' as source_model from " ~ kpi.mart %}
    {%- if kpi.mart_dimension %}
    {%- do selects.append(lead ~ "'total' as dimension, 'total' as dimension_value, sum(" ~ cast_value ~ ") as value" ~ tail ~ " group by month_start") %}
    {%- do selects.append(lead ~ "'" ~ kpi.mart_dimension ~ "', coalesce(cast(" ~ kpi.mart_dimension ~ " as " ~ dbt.type_string() ~ "), 'unknown'), " ~ cast_value ~ tail) %}
    {%- else %}
    {%- do selects.append(lead ~ "'total' as dimension, 'total' as dimension_value, " ~ cast_value ~ " as value" ~ tail) %}
    {%- endif %}
    {%- endfor %}
    {{ selects | join('\n    union all\n    ') }}

),

unioned as (

    select kpi_id, month_start, dimension, dimension_value, value, numerator, denominator, source_model
    from totals
    union all
    select kpi_id, month_start, dimension, dimension_value, value, numerator, denominator, 'analysis_order_dimensions'
    from dimensional

),

final as (

    select
        unioned.*,
        kpi_attributes.change_kind,
        cast(kpi_attributes.maturity_lag_days as integer) as maturity_lag_days,
        provenance.last_order_date as as_of_date,
        coalesce(
            {{ dbt.dateadd('day', 'kpi_attributes.maturity_lag_days',
                dbt.dateadd('day', -1, dbt.dateadd('month', 1, 'unioned.month_start'))) }}
                > provenance.last_order_date,
            false
        ) as provisional
    from unioned
    inner join kpi_attributes
        on kpi_attributes.kpi_id = unioned.kpi_id
    cross join provenance

)

select * from final
