{#- A table, not a view: as a view its tests and every mart reading it re-ran the deduplication of
    all web events (BENCHMARKS.md). #}
{{ config(materialized='table') }}

{#- One row per order that was converted on the web: the first session with a purchase event of
    that order id (last-click attribution to its source, medium and campaign) and the order's
    revenue_net from fct_orders. Orders without a web purchase event are not in this model. #}
with purchases as (

    select
        events.order_id,
        events.session_id,
        row_number() over (partition by events.order_id order by events.event_at, events.event_id) as purchase_rank
    from {{ ref('stg_web__web_events') }} as events
    where events.event_name = 'purchase'
        and events.order_id is not null

),

final as (

    select
        purchases.order_id,
        purchases.session_id,
        sessions.session_month,
        sessions.source,
        sessions.medium,
        sessions.campaign,
        sessions.is_social,
        orders.order_month,
        orders.revenue_net_eur
    from purchases
    inner join {{ ref('int_web_sessions') }} as sessions
        on sessions.session_id = purchases.session_id
    inner join {{ ref('fct_orders') }} as orders
        on orders.order_id = purchases.order_id
    where purchases.purchase_rank = 1

)

select * from final
