{#
    How a KPI's change is measured (its change_kind, from the registry unit): relative for amounts,
    counts and averages; percentage_points for rates (fractions, so the difference times 100); points for
    scores such as NPS, which can be 0 or negative and so have no meaningful relative change.
    measured_change(..., 'relative') is the relative change, NULL for the other kinds;
    measured_change(..., 'points') the change in percentage points or points, NULL for relative KPIs.
#}
{#- The change that flags a KPI, by change_kind (dbt vars, analysis_flags), in the unit measured_change
    gives: a fraction of the prior value (relative), percentage points, points. -#}
{% macro change_thresholds() -%}
    {{ return({'relative': var('analysis_change_threshold'), 'percentage_points': var('analysis_change_threshold_pp'),
               'points': var('analysis_change_threshold_points')}) }}
{%- endmacro %}

{% macro measured_change(current, base, change_kind, measure) -%}
    {%- if measure == 'relative' -%}
    case when coalesce({{ change_kind }}, 'relative') = 'relative' then {{ relative_change(current, base) }} end
    {%- elif measure == 'points' -%}
    case
        when {{ change_kind }} = 'percentage_points' then 100 * (({{ current }}) - ({{ base }}))
        when {{ change_kind }} = 'points' then ({{ current }}) - ({{ base }})
    end
    {%- else -%}
    {{ exceptions.raise_compiler_error("measured_change: measure must be 'relative' or 'points', got " ~ measure) }}
    {%- endif -%}
{%- endmacro %}

{#
    z of a change between two periods, for rates and scores with a denominator (NULL otherwise, or when
    a denominator is missing or the variance is 0).
    percentage_points: the two-proportion z-test with the pooled share,
        z = (p2 − p1) / sqrt(p (1 − p) (1/n1 + 1/n2)), p = (p1 n1 + p2 n2) / (n1 + n2).
    points (NPS, −100..100): the per-answer variance of promoter − detractor share d is
        p_promoter + p_detractor − d², at most 1 − d² (no passives); the marts give no promoter and
        detractor counts, so that upper bound is used: the test is conservative, never too eager.
        z = (s2 − s1) / (100 sqrt((1 − d1²)/n1 + (1 − d2²)/n2)), d = s / 100.
#}
{% macro change_significance_z(change_kind, prior_value, prior_denominator, value, denominator) -%}
    {%- set p1, n1, p2, n2 = '(' ~ prior_value ~ ')', prior_denominator, '(' ~ value ~ ')', denominator -%}
    {%- set pooled = '((' ~ p1 ~ ' * ' ~ n1 ~ ' + ' ~ p2 ~ ' * ' ~ n2 ~ ') / (' ~ n1 ~ ' + ' ~ n2 ~ '))' -%}
    {%- set share_se = 'sqrt(' ~ pooled ~ ' * (1 - ' ~ pooled ~ ') * (1.0 / ' ~ n1 ~ ' + 1.0 / ' ~ n2 ~ '))' -%}
    {%- set score_se = '100 * sqrt((1 - power(' ~ p1 ~ ' / 100, 2)) / ' ~ n1
        ~ ' + (1 - power(' ~ p2 ~ ' / 100, 2)) / ' ~ n2 ~ ')' -%}
    case
        when {{ n1 }} > 0 and {{ n2 }} > 0 and {{ change_kind }} = 'percentage_points'
            then {{ safe_ratio(p2 ~ ' - ' ~ p1, share_se) }}
        when {{ n1 }} > 0 and {{ n2 }} > 0 and {{ change_kind }} = 'points'
            then {{ safe_ratio(p2 ~ ' - ' ~ p1, score_se) }}
    end
{%- endmacro %}
