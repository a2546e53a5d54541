{#- KPI cohort_retention: one row per first-order-month cohort and months since (0 = the cohort
    month itself), up to the last month in the data. #}
with orders as (

    select customer_id, order_month
    from {{ ref('fct_orders') }}
    where not is_cancelled

),

months as (

    select * from {{ ref('int_month_spine') }}

),

cohorts as (

    select customer_id, min(order_month) as cohort_month
    from orders
    group by customer_id

),

cohort_sizes as (

    select cohort_month, count(*) as cohort_customers
    from cohorts
    group by cohort_month

),

grid as (

    select
        cohort_sizes.cohort_month,
        cohort_sizes.cohort_customers,
        months.month_start as activity_month,
        {{ dbt.datediff('cohort_sizes.cohort_month', 'months.month_start', 'month') }} as months_since
    from cohort_sizes
    inner join months
        on months.month_start >= cohort_sizes.cohort_month

),

retained as (

    select
        cohorts.cohort_month,
        orders.order_month as activity_month,
        count(distinct orders.customer_id) as retained_customers
    from orders
    inner join cohorts
        on cohorts.customer_id = orders.customer_id
    group by 1, 2

),

final as (

    select
        grid.cohort_month,
        grid.months_since,
        grid.activity_month,
        grid.cohort_customers,
        coalesce(retained.retained_customers, 0) as retained_customers,
        {{ safe_ratio('coalesce(retained.retained_customers, 0)', 'grid.cohort_customers') }} as cohort_retention
    from grid
    left join retained
        on retained.cohort_month = grid.cohort_month
        and retained.activity_month = grid.activity_month

)

select * from final
