{#- Survey KPIs per month and customer dimension, as the parts analysis_drivers decomposes: NPS
    (100 × (promoters − detractors) over NPS answers) and CSAT (satisfied over CSAT answers). An
    answer reaches a region, segment, industry or acquisition channel only through its customer
    (int_survey_responses_linked: the customer id it carries, else its e-mail); unlinked answers are
    'unknown', so every dimension adds up to the totals of kpi_service_monthly. -#}
{%- set dimensions = ['region', 'segment', 'industry', 'acquisition_channel'] -%}

with answers as (

    select
        answers.survey_type,
        answers.score,
        {{ month_of('answers.answered_date') }} as month_start,
        {%- for dimension in dimensions %}
        coalesce(customers.{{ dimension }}, 'unknown') as {{ dimension }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ ref('int_survey_responses_linked') }} as answers
    left join {{ ref('stg_crm__customers') }} as customers
        on customers.customer_id = answers.customer_id
    where answers.score is not null

),

by_dimension as (

    {{ parts_by_dimension('answers', 'month_start', dimensions, [
        "count(case when survey_type = 'nps' then 1 end) as nps_answers",
        "count(case when survey_type = 'nps' and score >= 9 then 1 end)
            - count(case when survey_type = 'nps' and score <= 6 then 1 end) as nps_net_promoters",
        "count(case when survey_type = 'csat' then 1 end) as csat_answers",
        "count(case when survey_type = 'csat' and score >= 4 then 1 end) as csat_satisfied"]) }}

),

final as (

    select 'nps' as kpi_id, month_start, dimension, dimension_value, 'mix_rate' as method,
        cast(100 * nps_net_promoters as double) as numerator, cast(nps_answers as double) as denominator
    from by_dimension
    where nps_answers > 0
    union all
    select 'csat', month_start, dimension, dimension_value, 'mix_rate',
        cast(csat_satisfied as double), cast(csat_answers as double)
    from by_dimension
    where csat_answers > 0

)

select * from final
