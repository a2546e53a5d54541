{%- set compared = ['complaints', 'complaints_per_1000_orders', 'resolution_hours_median', 'first_response_hours_median',
    'ticket_backlog', 'reopen_rate', 'csat_satisfied_share', 'satisfaction_index', 'nps'] -%}

with months as (

    select * from {{ ref('int_month_spine') }}

),

tickets as (

    select
        *,
        {{ dbt.datediff('created_at', 'resolved_at', 'second') }} / 3600.0 as resolution_hours,
        {{ dbt.datediff('created_at', 'first_response_at', 'second') }} / 3600.0 as first_response_hours
    from {{ ref('stg_crm__tickets') }}

),

surveys as (

    select * from {{ ref('stg_crm__survey_responses') }}

),

orders as (

    select order_month, count(*) as orders
    from {{ ref('fct_orders') }}
    group by order_month

),

created as (

    select
        {{ month_of('created_date') }} as month_start,
        count(*) as tickets_created,
        count(case when ticket_type = 'complaint' then 1 end) as complaints,
        {{ percentile('first_response_hours', 0.5) }} as first_response_hours_median
    from tickets
    group by 1

),

resolved as (

    select
        {{ month_of('resolved_date') }} as month_start,
        count(*) as tickets_resolved,
        count(case when reopened_at is not null then 1 end) as tickets_reopened,
        {{ percentile('case when ticket_type = \'complaint\' then resolution_hours end', 0.5) }} as resolution_hours_median,
        {{ percentile('case when ticket_type = \'complaint\' then resolution_hours end', 0.9) }} as resolution_hours_p90
    from tickets
    where resolved_date is not null
    group by 1

),

backlog as (

    select
        months.month_start,
        count(tickets.ticket_id) as ticket_backlog
    from months
    inner join tickets
        on tickets.created_date <= months.month_end
        and (tickets.resolved_date is null or tickets.resolved_date > months.month_end)
    group by months.month_start

),

answers as (

    select
        {{ month_of('answered_date') }} as month_start,
        count(case when survey_type = 'csat' then 1 end) as csat_answers,
        count(case when survey_type = 'csat' and score >= 4 then 1 end) as csat_satisfied,
        count(case when survey_type = 'csat' and score <= 2 then 1 end) as csat_unsatisfied,
        avg(case when survey_type = 'csat' then cast(score as double) end) as csat_mean,
        count(case when survey_type = 'nps' then 1 end) as nps_answers,
        count(case when survey_type = 'nps' and score >= 9 then 1 end) as nps_promoters,
        count(case when survey_type = 'nps' and score <= 6 then 1 end) as nps_detractors
    from surveys
    where score is not null
    group by 1

),

monthly as (

    select
        months.month_start,
        coalesce(created.tickets_created, 0) as tickets_created,
        coalesce(resolved.tickets_resolved, 0) as tickets_resolved,
        coalesce(created.complaints, 0) as complaints,
        coalesce(orders.orders, 0) as orders,
        {{ safe_ratio('1000 * coalesce(created.complaints, 0)', 'orders.orders') }} as complaints_per_1000_orders,
        cast(resolved.resolution_hours_median as double) as resolution_hours_median,
        cast(resolved.resolution_hours_p90 as double) as resolution_hours_p90,
        cast(created.first_response_hours_median as double) as first_response_hours_median,
        coalesce(backlog.ticket_backlog, 0) as ticket_backlog,
        coalesce(resolved.tickets_reopened, 0) as tickets_reopened,
        {{ safe_ratio('resolved.tickets_reopened', 'resolved.tickets_resolved') }} as reopen_rate,
        coalesce(answers.csat_answers, 0) as csat_answers,
        {{ safe_ratio('answers.csat_satisfied', 'answers.csat_answers') }} as csat_satisfied_share,
        {{ safe_ratio('answers.csat_unsatisfied', 'answers.csat_answers') }} as csat_unsatisfied_share,
        {{ safe_ratio('answers.csat_satisfied', 'answers.csat_unsatisfied') }} as csat_ratio,
        (answers.csat_mean - 1) / 4 * 100 as satisfaction_index,
        coalesce(answers.nps_answers, 0) as nps_answers,
        100 * {{ safe_ratio('answers.nps_promoters - answers.nps_detractors', 'answers.nps_answers') }} as nps
    from months
    left join created on created.month_start = months.month_start
    left join resolved on resolved.month_start = months.month_start
    left join backlog on backlog.month_start = months.month_start
    left join answers on answers.month_start = months.month_start
    left join orders on orders.order_month = months.month_start

),

final as (

    {{ period_comparisons('monthly', compared) }}

)

select * from final
