with order_values as (

    select * from {{ ref('int_order_values') }}

),

final as (

    select
        order_id,
        customer_id,
        ordered_at,
        order_date,
        order_month,
        status,
        sales_channel,
        is_cancelled,
        cancelled_at,
        is_first_order,
        line_count,
        units,
        currency,
        fx_rate,
        net_value,
        net_value_eur,
        return_count,
        refunded_amount,
        refunded_amount_eur,
        revenue_net_eur,
        payment_reference
    from order_values

)

select * from final
