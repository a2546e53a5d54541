{#- Order KPIs by order month and the dimensions of the ordering customer (segment, region, industry,
    acquisition channel) and of the order (sales channel), as the parts analysis_drivers decomposes:
    net revenue, orders and units sold (sums), cancellation rate (cancelled over all orders) and average
    order value (net revenue over non-cancelled orders), with kpi_monthly's definitions, and payment
    match rate (net value of non-cancelled orders with a matched payment over all non-cancelled, as
    kpi_cash_monthly); new customers
    (a count) and ARPC (net revenue over distinct ordering customers) by the customer's dimensions only,
    as a customer may order through several sales channels; units sold also by the order line's product
    category. Revenue by product category is allocated over order lines in analysis_order_dimensions. -#}
{%- set customer_dimensions = customer_dimension_expressions('customers').keys() | list -%}
{%- set dimensions = customer_dimensions + ['sales_channel'] -%}

with paid_orders as (

    select distinct order_id
    from {{ ref('int_payment_matches') }}
    where is_matched

),

orders as (

    select
        orders.order_month as month_start,
        cast(orders.revenue_net_eur as double) as revenue_net,
        orders.is_cancelled,
        orders.is_first_order,
        orders.customer_id,
        orders.units,
        cast(orders.net_value_eur as double) as net_value,
        paid_orders.order_id is not null as is_paid,
        {{- dimension_columns(customer_dimension_expressions('customers')) }},
        {{- dimension_columns({'sales_channel': 'orders.sales_channel'}) }}
    from {{ ref('fct_orders') }} as orders
    left join {{ ref('stg_crm__customers') }} as customers
        on customers.customer_id = orders.customer_id
    left join paid_orders
        on paid_orders.order_id = orders.order_id

),

by_dimension as (

    {{ parts_by_dimension('orders', 'month_start', dimensions, [
        'sum(revenue_net) as revenue_net',
        'count(*) as orders',
        'count(case when is_cancelled then 1 end) as cancelled_orders',
        'count(case when not is_cancelled then 1 end) as non_cancelled_orders',
        'sum(case when not is_cancelled then units else 0 end) as units_sold',
        'count(case when is_first_order then 1 end) as new_customers',
        'count(distinct case when not is_cancelled then customer_id end) as ordering_customers',
        'sum(case when not is_cancelled then net_value else 0 end) as order_value',
        'sum(case when not is_cancelled and is_paid then net_value else 0 end) as matched_value']) }}

),

category_units as (

    select
        orders.order_month as month_start,
        'product_category' as dimension,
        coalesce(lines.product_category, 'unknown') as dimension_value,
        sum(lines.quantity) as units_sold
    from {{ ref('stg_crm__order_lines') }} as lines
    inner join {{ ref('fct_orders') }} as orders
        on orders.order_id = lines.order_id
    where not orders.is_cancelled
    group by 1, 2, 3

),

final as (

    select 'revenue_net' as kpi_id, month_start, dimension, dimension_value, 'contribution' as method,
        revenue_net as numerator, cast(null as double) as denominator
    from by_dimension
    union all
    select 'orders', month_start, dimension, dimension_value, 'contribution', cast(orders as double), null
    from by_dimension
    union all
    select 'units_sold', month_start, dimension, dimension_value, 'contribution', cast(units_sold as double), null
    from by_dimension
    union all
    select 'units_sold', month_start, dimension, dimension_value, 'contribution', cast(units_sold as double), null
    from category_units
    union all
    select 'cancellation_rate', month_start, dimension, dimension_value, 'mix_rate',
        cast(cancelled_orders as double), cast(orders as double)
    from by_dimension
    union all
    select 'avg_order_value', month_start, dimension, dimension_value, 'mix_rate',
        revenue_net, cast(non_cancelled_orders as double)
    from by_dimension
    union all
    select 'payment_match_rate', month_start, dimension, dimension_value, 'mix_rate', matched_value, order_value
    from by_dimension
    union all
    select 'new_customers', month_start, dimension, dimension_value, 'contribution', cast(new_customers as double), null
    from by_dimension
    where dimension <> 'sales_channel'
    union all
    select 'arpc', month_start, dimension, dimension_value, 'mix_rate', revenue_net, cast(ordering_customers as double)
    from by_dimension
    where dimension <> 'sales_channel'

)

select * from final
