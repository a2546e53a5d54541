{#- Survey KPIs per answer month and dimension, as the parts analysis_drivers decomposes, with
    kpi_service_monthly's definitions: NPS (100 × (promoters − detractors) over NPS answers) by the
    customer's region, segment, industry and acquisition channel; CSAT (satisfied over CSAT answers) and
    the satisfaction index (mean of (score − 1) / 4 × 100 over CSAT answers) also by the surveyed
    ticket's type, category, priority and agent (owner alias). An answer reaches a customer dimension
    only through its customer (int_survey_responses_linked: the customer id it carries, else its
    e-mail), a ticket dimension through its ticket; the others are 'unknown', so every dimension adds
    up to the totals of kpi_service_monthly. -#}
{%- set customer_dimensions = customer_dimension_expressions('customers').keys() | list -%}
{%- set ticket_dimensions = ticket_dimension_expressions('tickets').keys() | list -%}

with answers as (

    select
        answers.survey_type,
        answers.score,
        {{ month_of('answers.answered_date') }} as month_start,
        {{- dimension_columns(ticket_dimension_expressions('tickets')) }},
        {{- dimension_columns(customer_dimension_expressions('customers')) }}
    from {{ ref('int_survey_responses_linked') }} as answers
    left join {{ ref('stg_crm__customers') }} as customers
        on customers.customer_id = answers.customer_id
    left join {{ ref('stg_crm__tickets') }} as tickets
        on tickets.ticket_id = answers.ticket_id
    where answers.score is not null

),

by_dimension as (

    {{ parts_by_dimension('answers', 'month_start', customer_dimensions + ticket_dimensions, [
        "count(case when survey_type = 'nps' then 1 end) as nps_answers",
        "count(case when survey_type = 'nps' and score >= 9 then 1 end)
            - count(case when survey_type = 'nps' and score <= 6 then 1 end) as nps_net_promoters",
        "count(case when survey_type = 'csat' then 1 end) as csat_answers",
        "count(case when survey_type = 'csat' and score >= 4 then 1 end) as csat_satisfied",
        "sum(case when survey_type = 'csat' then (score - 1) * 25.0 end) as csat_index_points"]) }}

),

final as (

    select 'nps' as kpi_id, month_start, dimension, dimension_value, 'mix_rate' as method,
        cast(100 * nps_net_promoters as double) as numerator, cast(nps_answers as double) as denominator
    from by_dimension
    where nps_answers > 0 and dimension in ('{{ customer_dimensions | join("', '") }}')
    union all
    select 'csat', month_start, dimension, dimension_value, 'mix_rate',
        cast(csat_satisfied as double), cast(csat_answers as double)
    from by_dimension
    where csat_answers > 0
    union all
    select 'satisfaction_index', month_start, dimension, dimension_value, 'mix_rate',
        cast(csat_index_points as double), cast(csat_answers as double)
    from by_dimension
    where csat_answers > 0

)

select * from final
