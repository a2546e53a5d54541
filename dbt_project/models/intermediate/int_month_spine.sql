{{ config(materialized='table') }}

{#- Every month from the first to the last month with any order, web session, ticket or bank
    transaction, so every monthly mart has the same months, each with a prior month and a prior
    year to compare with (macro period_comparisons). #}
with activity_dates as (

    select order_date as activity_date from {{ ref('stg_crm__orders') }}
    union all
    select session_date from {{ ref('stg_web__web_sessions') }}
    union all
    select created_date from {{ ref('stg_crm__tickets') }}
    union all
    select booking_date from {{ ref('stg_finance__bank_transactions') }}

),

months as (

    {{ period_spine(
        'month',
        '(select ' ~ month_of('min(activity_date)') ~ ' from activity_dates)',
        '(select ' ~ month_of('max(activity_date)') ~ ' from activity_dates)'
    ) }}

),

final as (

    select
        period_start as month_start,
        cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 1, 'period_start')) }} as date) as month_end
    from months

)

select * from final
