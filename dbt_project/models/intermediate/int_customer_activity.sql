{#- The active-customer rule of KPI_SPEC.md, in one place: a customer is active on a date when a
    non-cancelled order or a running contract falls in the trailing var active_window_days days
    ending on that date. Written as the days each order or contract keeps its customer active, so
    every consumer asks one question, customer_active_on(): dim_customers at the last date in the
    data, kpi_retention_monthly at each month's end and start.
    An order counts from its order date for active_window_days days. A contract counts from its start
    until active_window_days days after its last running day (the earlier of its end and the date
    its cancellation takes effect); without either it keeps its customer active for good. -#}
with orders as (

    select * from {{ ref('fct_orders') }}

),

contracts as (

    select * from {{ ref('stg_crm__contracts') }}

),

contract_periods as (

    select
        customer_id,
        contract_id,
        start_date,
        case
            when cancellation_effective_date is not null
                and (end_date is null or cancellation_effective_date < end_date)
                then cancellation_effective_date
            else end_date
        end as last_running_date
    from contracts

),

final as (

    select
        customer_id,
        'order' as activity_type,
        order_id as activity_id,
        order_date as active_from,
        cast({{ dbt.dateadd('day', var('active_window_days') - 1, 'order_date') }} as date) as active_until
    from orders
    where not is_cancelled
    union all
    select
        customer_id,
        'contract',
        contract_id,
        start_date,
        cast({{ dbt.dateadd('day', var('active_window_days') - 1, 'last_running_date') }} as date)
    from contract_periods

)

select * from final
