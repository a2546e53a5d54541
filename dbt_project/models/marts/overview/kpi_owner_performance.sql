{#- KPI owner_performance: one row per month, role (sales_owner, service_agent) and owner. Owners
    appear as owner_ + 10 hex digits of their keyed staging pseudonym (macro owner_alias). Sales: deals closed in the month; service: tickets resolved in
    the month and the CSAT answers given to those tickets. #}
with deals as (

    select
        {{ month_of('closed_date') }} as month_start,
        owner_pseudonym as owner,
        count(case when stage = 'won' then 1 end) as deals_won,
        count(case when stage = 'lost' then 1 end) as deals_lost,
        sum(case when stage = 'won' then amount_eur else 0 end) as deals_won_value
    from {{ ref('stg_crm__deals') }}
    where stage in ('won', 'lost') and closed_date is not null and owner_pseudonym is not null
    group by 1, 2

),

ticket_csat as (

    select ticket_id, avg(cast(score as double)) as csat_score, count(*) as csat_answers,
        count(case when score >= 4 then 1 end) as csat_satisfied
    from {{ ref('stg_crm__survey_responses') }}
    where survey_type = 'csat' and ticket_id is not null and score is not null
    group by ticket_id

),

tickets as (

    select
        {{ month_of('tickets.resolved_date') }} as month_start,
        tickets.agent_pseudonym as owner,
        count(*) as tickets_resolved,
        {{ percentile(dbt.datediff('tickets.created_at', 'tickets.resolved_at', 'second') ~ ' / 3600.0', 0.5) }} as resolution_hours_median,
        sum(ticket_csat.csat_answers) as csat_answers,
        sum(ticket_csat.csat_satisfied) as csat_satisfied
    from {{ ref('stg_crm__tickets') }} as tickets
    left join ticket_csat
        on ticket_csat.ticket_id = tickets.ticket_id
    where tickets.resolved_date is not null and tickets.agent_pseudonym is not null
    group by 1, 2

),

final as (

    select
        month_start,
        'sales_owner' as owner_role,
        {{ owner_alias('owner') }} as owner_alias,
        deals_won,
        cast(deals_won_value as decimal(18, 2)) as deals_won_value,
        deals_lost,
        {{ safe_ratio('deals_won', 'deals_won + deals_lost') }} as win_rate,
        cast(null as bigint) as tickets_resolved,
        cast(null as double) as resolution_hours_median,
        cast(null as double) as csat_satisfied_share
    from deals
    union all
    select
        month_start,
        'service_agent',
        {{ owner_alias('owner') }},
        null,
        null,
        null,
        null,
        tickets_resolved,
        cast(resolution_hours_median as double),
        {{ safe_ratio('csat_satisfied', 'csat_answers') }}
    from tickets

)

select * from final
