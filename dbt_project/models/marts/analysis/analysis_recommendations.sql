{#-
    Handlungsempfehlungen: every flag with its top root cause turned into an action, in German and
    English, by the rules of seed recommendation_rules (a rule for the KPI and flag type, else the
    generic '*' rule of the flag type). Placeholders {dimension}, {dimension_value}, {focus_de},
    {focus_en} (the root cause as text, or "insgesamt" / "overall" without one), {magnitude}, {kpi_label_de},
    {kpi_label_en} and {kpi_id} are filled from the evidence. kpis_to_move names the KPI
    ids the action should move. A KPI without dimensional rows has no root cause: its dimension is 'total'.
-#}
{%- set fill = "replace(replace(replace(replace(replace(replace(replace(replace(TEMPLATE, '{dimension}', dimension), "
    ~ "'{dimension_value}', dimension_value), '{magnitude}', magnitude), '{kpi_label_de}', kpi_label_de), "
    ~ "'{kpi_label_en}', kpi_label_en), '{kpi_id}', kpi_id), '{focus_de}', focus_de), '{focus_en}', focus_en)" -%}
with flags as (

    select * from {{ ref('analysis_flags') }}

),

top_causes as (

    select * from {{ ref('analysis_root_causes') }}
    where overall_rank = 1

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
        flags.change_prior_period_pct,
        flags.robust_z,
        coalesce(top_causes.dimension, 'total') as dimension,
        coalesce(top_causes.dimension_value, 'total') as dimension_value,
        top_causes.contribution,
        top_causes.share_of_change,
        coalesce(top_causes.dimension || ' = ' || top_causes.dimension_value, 'insgesamt') as focus_de,
        coalesce(top_causes.dimension || ' = ' || top_causes.dimension_value, 'overall') as focus_en,
        coalesce(directions.label_de, flags.kpi_id) as kpi_label_de,
        coalesce(directions.label_en, flags.kpi_id) as kpi_label_en,
        case
            when flags.change_prior_period_pct is not null
                then printf('%+.1f %%', flags.change_prior_period_pct * 100)
            when flags.change_prior_period_points is not null
                then printf(case when flags.change_kind = 'points' then '%+.1f pts' else '%+.1f pp' end,
                    flags.change_prior_period_points)
            else printf('z = %+.1f', flags.robust_z)
        end as magnitude
    from flags
    left join top_causes
        on top_causes.kpi_id = flags.kpi_id
        and top_causes.month_start = flags.month_start
    left join directions
        on directions.kpi_id = flags.kpi_id

),

ruled as (

    select
        evidence.*,
        coalesce(specific.action_de, generic.action_de) as action_de_template,
        coalesce(specific.action_en, generic.action_en) as action_en_template,
        coalesce(specific.kpis_to_move, generic.kpis_to_move) as kpis_to_move_template
    from evidence
    left join rules as specific
        on specific.kpi_id = evidence.kpi_id
        and specific.flag_type = evidence.flag_type
    left join rules as generic
        on generic.kpi_id = '*'
        and generic.flag_type = evidence.flag_type

),

final as (

    select
        kpi_id,
        month_start,
        flag_type,
        cast(row_number() over (partition by month_start order by severity desc, kpi_id) as integer) as priority,
        severity,
        dimension,
        dimension_value,
        value,
        prior_period_value,
        change_prior_period_pct,
        robust_z,
        contribution,
        share_of_change,
        magnitude,
        {{ fill | replace('TEMPLATE', 'action_de_template') }} as action_de,
        {{ fill | replace('TEMPLATE', 'action_en_template') }} as action_en,
        printf('%s %s: %s (%s ggü. Vormonat); größter Beitrag: %s%s', kpi_label_de, strftime(month_start, '%m/%Y'),
            printf('%.2f', value), magnitude, focus_de, coalesce(printf(' (%+.2f)', contribution), '')) as evidence_de,
        printf('%s %s: %s (%s vs prior month); largest contribution: %s%s', kpi_label_en, strftime(month_start, '%Y-%m'),
            printf('%.2f', value), magnitude, focus_en, coalesce(printf(' (%+.2f)', contribution), '')) as evidence_en,
        replace({{ fill | replace('TEMPLATE', 'kpis_to_move_template') }}, ';', ', ') as kpis_to_move
    from ruled

)

select * from final
