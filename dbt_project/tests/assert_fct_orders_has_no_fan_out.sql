{#
    One row per order: fct_orders has exactly as many rows as there are distinct orders in
    staging (joins to lines, returns and cancellations neither multiply nor drop orders).
#}
with facts as (

    select count(*) as fct_rows
    from {{ ref('fct_orders') }}

),

staged as (

    select count(distinct order_id) as staged_orders
    from {{ ref('stg_crm__orders') }}

)

select
    facts.fct_rows,
    staged.staged_orders
from facts
cross join staged
where facts.fct_rows <> staged.staged_orders
