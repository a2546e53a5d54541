{#-
    Handlungsempfehlungen: every flag (analysis_flags; provisional months are never flagged) turned into
    an action in German and English that names its driver, the driver's impact, the owning area and a
    priority.
    Driver: the top-ranked driver of analysis_drivers for the KPI and month (driver_rank 1). Equal
    contributions share a rank (the same sessions seen by source, medium, campaign and landing page):
    the dimension the registry lists first for the KPI names them. A KPI analysis_drivers does not
    decompose has no driver and says so; its impact is the whole change.
    Impact: the driver's contribution in the KPI's unit (a fraction for rates, shown in percentage
    points; points for scores; EUR; counts), its share of the change and, for ratios, whether mix or rate
    moved more. Area: the KPI's owning area in the registry (seed kpi_directions).
    Priority: the impact measured in flag thresholds (macro change_thresholds), i.e. how many times the
    change that flags a KPI this one driver alone moved it: |impact| / |prior value| / relative threshold,
    |impact| in percentage points or points / their threshold. Unlike the flag's severity it counts only
    what acting on the named driver can move. Without a prior value (0) the flag's severity stands in.
    Ranked within the month, 1 first (ties: severity, then kpi_id).
    Texts are filled from the rules of seed recommendation_rules (a rule for the KPI and flag type, else
    the generic '*' rule): placeholders {dimension}, {dimension_value}, {focus_de}, {focus_en} (the driver
    as text, or that there is none), {magnitude}, {impact}, {area}, {kpi_label_de}, {kpi_label_en}, {kpi_id}
    ({magnitude}, {impact} and {area} in the text's language). Numbers are written by macros/locale_text.sql,
    as the report writes them.
-#}
{%- set thresholds = change_thresholds() -%}
{%- set fill = "replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(TEMPLATE, "
    ~ "'{dimension}', dimension), '{dimension_value}', dimension_value), '{magnitude}', magnitude_LANG), "
    ~ "'{impact}', impact_LANG), '{area}', area_LANG), '{kpi_label_de}', kpi_label_de), "
    ~ "'{kpi_label_en}', kpi_label_en), '{kpi_id}', kpi_id), '{focus_de}', focus_de), '{focus_en}', focus_en)" -%}
{%- set dimension_orders = [] -%}
{%- for kpi in kpi_registry() -%}
    {%- for dimension in kpi.dimensions -%}
        {%- do dimension_orders.append("('" ~ kpi.id ~ "', '" ~ dimension ~ "', " ~ loop.index ~ ")") -%}
    {%- endfor -%}
{%- endfor -%}
with flags as (

    select * from {{ ref('analysis_flags') }}

),

dimension_orders as (

    select * from (values
        {{ dimension_orders | join(',\n        ') }}
    ) as registry_dimensions (kpi_id, dimension, dimension_order)

),

top_drivers as (

    select
        drivers.*,
        row_number() over (
            partition by drivers.kpi_id, drivers.month_start
            order by coalesce(dimension_orders.dimension_order, 999), drivers.dimension, drivers.dimension_value
        ) as tie_order
    from {{ ref('analysis_drivers') }} as drivers
    left join dimension_orders
        on dimension_orders.kpi_id = drivers.kpi_id
        and dimension_orders.dimension = drivers.dimension
    where drivers.driver_rank = 1

),

rules as (

    select * from {{ ref('recommendation_rules') }}

),

directions as (

    select * from {{ ref('kpi_directions') }}

),

evidence as (

    select
        flags.kpi_id,
        flags.month_start,
        flags.flag_type,
        flags.severity,
        flags.value,
        flags.prior_period_value,
        flags.change_kind,
        flags.change_prior_period_pct,
        flags.change_prior_period_points,
        flags.robust_z,
        top_drivers.kpi_id is not null as has_driver,
        coalesce(top_drivers.dimension, 'total') as dimension,
        coalesce(top_drivers.dimension_value, 'total') as dimension_value,
        case
            when top_drivers.method = 'contribution' then 'contribution'
            when abs(top_drivers.mix_effect) > abs(top_drivers.rate_effect) then 'mix'
            when top_drivers.method = 'mix_rate' then 'rate'
        end as effect,
        top_drivers.mix_effect,
        top_drivers.rate_effect,
        coalesce(top_drivers.contribution, flags.value - flags.prior_period_value) as impact,
        coalesce(top_drivers.prior_total_value, flags.prior_period_value) as prior_total_value,
        top_drivers.share_of_change,
        coalesce(directions.unit, 'count') as unit,
        coalesce(directions.label_de, flags.kpi_id) as kpi_label_de,
        coalesce(directions.label_en, flags.kpi_id) as kpi_label_en,
        directions.area,
        directions.area_de,
        directions.area_en
    from flags
    left join top_drivers
        on top_drivers.kpi_id = flags.kpi_id
        and top_drivers.month_start = flags.month_start
        and top_drivers.tie_order = 1
    left join directions
        on directions.kpi_id = flags.kpi_id

),

scored as (

    select
        *,
        coalesce(case change_kind
            when 'percentage_points' then 100 * abs(impact) / {{ thresholds['percentage_points'] }}
            when 'points' then abs(impact) / {{ thresholds['points'] }}
            else abs(impact) / nullif(abs(prior_total_value), 0) / {{ thresholds['relative'] }}
        end, severity) as priority_score
    from evidence

),

texts as (

    select
        *,
        {%- for language in ['de', 'en'] %}
        case
            when change_kind = 'relative' and change_prior_period_pct is not null
                then {{ kpi_change_text('change_prior_period_pct', "'relative'", language) }}
            when change_kind <> 'relative' and change_prior_period_points is not null
                then {{ kpi_change_text('change_prior_period_points', 'change_kind', language) }}
            else 'z = ' || case when robust_z >= 0 then '+' else '' end || {{ number_text('robust_z', 1, language) }}
        end as magnitude_{{ language }},
        {{ kpi_impact_text('impact', 'unit', language) }} as impact_{{ language }},
        {{ kpi_value_text('value', 'unit', language) }} as value_{{ language }},
        {{ kpi_value_text('share_of_change', "'rate'", language) }} as share_{{ language }},
        {%- endfor %}
        case when has_driver then dimension || ' = ' || dimension_value else 'keine Zerlegung nach Dimension' end
            as focus_de,
        case when has_driver then dimension || ' = ' || dimension_value else 'no breakdown by dimension' end
            as focus_en
    from scored

),

ruled as (

    select
        texts.*,
        coalesce(specific.action_de, generic.action_de) as action_de_template,
        coalesce(specific.action_en, generic.action_en) as action_en_template,
        coalesce(specific.kpis_to_move, generic.kpis_to_move) as kpis_to_move_template
    from texts
    left join rules as specific
        on specific.kpi_id = texts.kpi_id
        and specific.flag_type = texts.flag_type
    left join rules as generic
        on generic.kpi_id = '*'
        and generic.flag_type = texts.flag_type

),

final as (

    select
        kpi_id,
        month_start,
        flag_type,
        cast(row_number() over (
            -- rounded: scores equal but for a double sum's last bits must not swap places between builds
            partition by month_start order by round(priority_score, 6) desc, round(severity, 6) desc, kpi_id
        ) as integer) as priority,
        priority_score,
        severity,
        area,
        area_de,
        area_en,
        dimension,
        dimension_value,
        effect,
        impact,
        share_of_change,
        mix_effect,
        rate_effect,
        unit,
        value,
        prior_period_value,
        change_prior_period_pct,
        change_prior_period_points,
        robust_z,
        magnitude_de,
        magnitude_en,
        impact_de,
        impact_en,
        {{ fill | replace('TEMPLATE', 'action_de_template') | replace('LANG', 'de') }} as action_de,
        {{ fill | replace('TEMPLATE', 'action_en_template') | replace('LANG', 'en') }} as action_en,
        kpi_label_de || ' ' || strftime(month_start, '%m/%Y') || ': ' || value_de || ' (' || magnitude_de
            || ' ggü. Vormonat); ' || case
                when has_driver then 'größter Treiber ' || focus_de || ': ' || impact_de
                    || case when share_of_change is not null then ' (' || share_de || ' der Veränderung'
                        || case effect when 'mix' then ', Mix-Effekt' when 'rate' then ', Raten-Effekt' else '' end || ')'
                        else '' end
                else 'kein Treiber nach Dimension (die Kennzahl wird nicht nach Dimensionen zerlegt), Veränderung '
                    || impact_de
            end as evidence_de,
        kpi_label_en || ' ' || strftime(month_start, '%Y-%m') || ': ' || value_en || ' (' || magnitude_en
            || ' vs prior month); ' || case
                when has_driver then 'top driver ' || focus_en || ': ' || impact_en
                    || case when share_of_change is not null then ' (' || share_en || ' of the change'
                        || case effect when 'mix' then ', mix effect' when 'rate' then ', rate effect' else '' end || ')'
                        else '' end
                else 'no dimensional driver (the KPI is not broken down by dimension), change ' || impact_en
            end as evidence_en,
        replace({{ fill | replace('TEMPLATE', 'kpis_to_move_template') | replace('LANG', 'en') }}, ';', ', ')
            as kpis_to_move
    from ruled

)

select * from final
