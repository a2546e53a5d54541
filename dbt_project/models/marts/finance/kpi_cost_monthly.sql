{#- KPI cost_by_category and cost_reduction: one row per month and cost category (every category
    in every month, 0 without bookings). cost_reduction_*_eur is prior minus current (positive =
    costs went down); cost_by_category_change_* is the relative change (negative = reduction). #}
with months as (

    select * from {{ ref('int_month_spine') }}

),

bookings as (

    select * from {{ ref('stg_finance__cost_bookings') }}

),

grid as (

    select months.month_start, categories.cost_category
    from months
    cross join (select distinct cost_category from bookings) as categories

),

monthly as (

    select
        grid.month_start,
        grid.cost_category,
        cast(coalesce(sum(bookings.amount_eur), 0) as decimal(18, 2)) as cost_by_category
    from grid
    left join bookings
        on bookings.cost_category = grid.cost_category
        and {{ month_of('bookings.booking_date') }} = grid.month_start
    group by 1, 2

),

compared as (

    {{ period_comparisons('monthly', ['cost_by_category'], partition_by=['cost_category']) }}

),

final as (

    select
        month_start,
        cost_category,
        cost_by_category,
        cast(cost_by_category_prior_period - cost_by_category as decimal(18, 2)) as cost_reduction_prior_period,
        cast(cost_by_category_prior_year - cost_by_category as decimal(18, 2)) as cost_reduction_prior_year,
        cost_by_category_prior_period,
        cost_by_category_prior_year,
        cost_by_category_change_prior_period,
        cost_by_category_change_prior_year
    from compared

)

select * from final
