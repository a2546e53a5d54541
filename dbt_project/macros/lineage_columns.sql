{#
    The raw lineage of a staging row (delivery file and line), kept while var keep_lineage is true.
    Emits a leading comma so it can close any select list.
#}
{% macro lineage_columns(relation_alias=none) -%}
    {%- if var('keep_lineage', true) -%}
        {%- set prefix = relation_alias ~ '.' if relation_alias else '' -%}
        ,
        {{ prefix }}_file,
        {{ prefix }}_line
    {%- endif -%}
{%- endmacro %}
