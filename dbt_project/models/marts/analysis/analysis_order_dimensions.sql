{#-
    The order KPIs split by the dimensions a root cause can lie in, so a change of the total can be
    traced to the region, segment, sales channel or product category that moved it. Every dimension
    value gets a row in every month of the order calendar (zero when it had no orders), so a value that
    stopped ordering shows up as a drop instead of a missing row. Revenue by product category is the
    order's revenue_net allocated by the category's share of the order's line value, so the categories
    add up to the total; orders and cancellations have no category (one order holds several).
-#}
with orders as (

    select * from {{ ref('fct_orders') }}

),

customers as (

    select * from {{ ref('dim_customers') }}

),

order_lines as (

    select * from {{ ref('stg_crm__order_lines') }}

),

months as (

    {{ period_spine('month', '(select min(order_month) from orders)', '(select max(order_month) from orders)') }}

),

category_shares as (

    select
        order_id,
        coalesce(product_category, 'unknown') as product_category,
        sum(line_net_value) / nullif(sum(sum(line_net_value)) over (partition by order_id), 0) as share
    from order_lines
    group by order_id, coalesce(product_category, 'unknown')

),

order_facts as (

    select
        orders.order_id,
        orders.order_month,
        cast(orders.revenue_net_eur as double) as revenue_net,
        case when orders.is_cancelled then 1 else 0 end as is_cancelled,
        coalesce(customers.region, 'unknown') as region,
        coalesce(customers.segment, 'unknown') as segment,
        coalesce(orders.sales_channel, 'unknown') as sales_channel
    from orders
    left join customers
        on customers.customer_id = orders.customer_id

),

by_dimension as (

    {%- for dimension in ['region', 'segment', 'sales_channel'] %}
    select
        order_month as month_start,
        '{{ dimension }}' as dimension,
        {{ dimension }} as dimension_value,
        sum(revenue_net) as revenue_net,
        count(*) as orders,
        sum(is_cancelled) as cancelled_orders
    from order_facts
    group by order_month, {{ dimension }}
    union all
    {%- endfor %}
    select
        order_facts.order_month,
        'product_category',
        category_shares.product_category,
        sum(order_facts.revenue_net * coalesce(category_shares.share, 0)),
        null,
        null
    from order_facts
    inner join category_shares
        on category_shares.order_id = order_facts.order_id
    group by order_facts.order_month, category_shares.product_category

),

dimension_values as (

    select distinct dimension, dimension_value, orders is null as revenue_only
    from by_dimension

),

filled as (

    select
        months.period_start as month_start,
        dimension_values.dimension,
        dimension_values.dimension_value,
        dimension_values.revenue_only,
        coalesce(by_dimension.revenue_net, 0) as revenue_net,
        coalesce(by_dimension.orders, 0) as orders,
        coalesce(by_dimension.cancelled_orders, 0) as cancelled_orders
    from months
    cross join dimension_values
    left join by_dimension
        on by_dimension.month_start = months.period_start
        and by_dimension.dimension = dimension_values.dimension
        and by_dimension.dimension_value = dimension_values.dimension_value

),

final as (

    select 'revenue_net' as kpi_id, month_start, dimension, dimension_value,
        cast(round(revenue_net, 2) as double) as value, cast(null as double) as numerator, cast(null as double) as denominator
    from filled
    union all
    select 'orders', month_start, dimension, dimension_value, cast(orders as double), null, null
    from filled
    where not revenue_only
    union all
    select 'cancellation_rate', month_start, dimension, dimension_value,
        {{ safe_ratio('cancelled_orders', 'orders') }}, cast(cancelled_orders as double), cast(orders as double)
    from filled
    where not revenue_only

)

select * from final
