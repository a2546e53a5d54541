{#
    Like dbt's relationships test, for row-level problems: a row whose column value has no match in
    `to`.`field` (an orphan: an order of a customer the CRM has not delivered) is flagged where the
    marts list it (orphan_rows), not a reason to stop the refresh, as long as orphans are a small
    share. The test fails, returning the orphan values, only when they are more than `threshold`
    (default var orphan_share_threshold) of the rows with a value.
#}
{% test relationships_share(model, column_name, to, field, threshold=none) %}

{%- set limit = threshold if threshold is not none else var('orphan_share_threshold') -%}

with children as (

    select {{ column_name }} as child_value
    from {{ model }}
    where {{ column_name }} is not null

),

orphans as (

    select children.child_value
    from children
    left join {{ to }} as parents on parents.{{ field }} = children.child_value
    where parents.{{ field }} is null

),

share as (

    select (select count(*) from orphans) * 1.0 / nullif((select count(*) from children), 0) as orphan_share

)

select orphans.child_value as {{ column_name }}, share.orphan_share
from orphans
cross join share
where share.orphan_share > {{ limit }}

{% endtest %}
