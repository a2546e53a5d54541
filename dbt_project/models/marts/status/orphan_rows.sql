{#-
    Rows whose reference points at nothing delivered (orphans), with the reason: row-level problems
    that stay at row level. An orphan order is kept in fct_orders and the KPIs built on it; its check
    (relationships_share) fails only when orphans exceed var orphan_share_threshold.
-#}
{%- set children = [
    {'model': 'fct_orders', 'key': 'order_id', 'noun': 'order'},
    {'model': 'stg_crm__tickets', 'key': 'ticket_id', 'noun': 'ticket'},
    {'model': 'int_web_sessions', 'key': 'session_id', 'noun': 'logged-in web session'},
] -%}

with customers as (

    select customer_id from {{ ref('stg_crm__customers') }}

),

final as (
    {% for child in children %}
    select
        '{{ child.model }}' as model,
        children.{{ child.key }} as row_key,
        'customer_id' as column_name,
        children.customer_id as value,
        '{{ child.noun }} of customer ' || children.customer_id || ', who is not in the CRM customers (stg_crm__customers)' as reason
    from {{ ref(child.model) }} as children
    left join customers on customers.customer_id = children.customer_id
    where children.customer_id is not null and customers.customer_id is null
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}

)

select * from final
