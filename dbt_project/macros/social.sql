{#
    KPI social_interactions of one metrics row: likes + comments + shares + clicks. A network that
    does not report a kind (Instagram's content export has no clicks) adds nothing for it, rather
    than turning the whole sum NULL.
#}
{% macro social_interactions(alias) -%}
    coalesce({{ alias }}.likes, 0) + coalesce({{ alias }}.comments, 0) + coalesce({{ alias }}.shares, 0) + coalesce({{ alias }}.clicks, 0)
{%- endmacro %}
