{#- Churn events per customer (KPI churned_customers). Contractual: a contract's cancellation takes
    effect (cancellation_effective_date). Non-contractual: a non-cancelled order not followed by
    another within var churn_days days churns the customer on the day it becomes churn_days old,
    if that day is not after the last order date in the data. #}
with orders as (

    select customer_id, order_id, order_date
    from {{ ref('fct_orders') }}
    where not is_cancelled

),

as_of as (

    select max(order_date) as as_of_date from {{ ref('fct_orders') }}

),

order_gaps as (

    select
        customer_id,
        cast({{ dbt.dateadd('day', var('churn_days'), 'order_date') }} as date) as churn_date,
        lead(order_date) over (partition by customer_id order by order_date, order_id) as next_order_date
    from orders

),

final as (

    select order_gaps.customer_id, order_gaps.churn_date, 'non_contractual' as churn_type
    from order_gaps
    cross join as_of
    where (order_gaps.next_order_date is null or order_gaps.next_order_date > order_gaps.churn_date)
        and order_gaps.churn_date <= as_of.as_of_date
    union all
    select customer_id, cancellation_effective_date, 'contractual'
    from {{ ref('stg_crm__contracts') }}
    where cancellation_effective_date is not null

)

select * from final
