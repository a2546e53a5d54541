with customers as (

    select * from {{ ref('stg_crm__customers') }}

),

order_values as (

    select * from {{ ref('int_order_values') }}

),

contracts as (

    select * from {{ ref('stg_crm__contracts') }}

),

reference_date as (

    select max(order_date) as as_of_date
    from order_values

),

customer_orders as (

    select
        customer_id,
        count(*) as orders,
        count(case when not is_cancelled then 1 end) as non_cancelled_orders,
        count(case when is_cancelled then 1 end) as cancelled_orders,
        min(case when not is_cancelled then order_date end) as first_order_date,
        max(case when not is_cancelled then order_date end) as last_order_date,
        sum(revenue_net_eur) as lifetime_revenue_net_eur
    from order_values
    group by customer_id

),

contract_periods as (

    select
        customer_id,
        start_date,
        case
            when cancellation_effective_date is not null
                and (end_date is null or cancellation_effective_date < end_date)
                then cancellation_effective_date
            else end_date
        end as last_running_date
    from contracts

),

customer_contracts as (

    select
        contract_periods.customer_id,
        count(*) as running_contracts
    from contract_periods
    cross join reference_date
    where contract_periods.start_date <= reference_date.as_of_date
        and (
            contract_periods.last_running_date is null
            or contract_periods.last_running_date
                > cast({{ dbt.dateadd('day', -var('active_window_days'), 'reference_date.as_of_date') }} as date)
        )
    group by contract_periods.customer_id

),

final as (

    select
        customers.customer_id,
        customers.email_hash,
        customers.segment,
        customers.region,
        customers.industry,
        customers.acquisition_channel,
        customers.created_at,
        customers.created_date,
        customer_orders.first_order_date,
        customer_orders.last_order_date,
        coalesce(customer_orders.orders, 0) as orders,
        coalesce(customer_orders.non_cancelled_orders, 0) as non_cancelled_orders,
        coalesce(customer_orders.cancelled_orders, 0) as cancelled_orders,
        cast(coalesce(customer_orders.lifetime_revenue_net_eur, 0) as decimal(18, 2)) as lifetime_revenue_net_eur,
        coalesce(customer_contracts.running_contracts, 0) > 0 as has_running_contract,
        reference_date.as_of_date,
        {{ dbt.datediff('customer_orders.last_order_date', 'reference_date.as_of_date', 'day') }} as days_since_last_order,
        coalesce(
            customer_orders.last_order_date
                > cast({{ dbt.dateadd('day', -var('active_window_days'), 'reference_date.as_of_date') }} as date),
            false
        )
            or coalesce(customer_contracts.running_contracts, 0) > 0 as is_active
    from customers
    cross join reference_date
    left join customer_orders
        on customer_orders.customer_id = customers.customer_id
    left join customer_contracts
        on customer_contracts.customer_id = customers.customer_id

)

select * from final
