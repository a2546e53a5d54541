{#- KPI funnel_conversion: one row per month and funnel step (lead → MQL → SQL → opportunity →
    customer). Contacts are counted in the month they first entered the step's from_stage; they
    advanced when they later entered to_stage or any later stage (skipped stages count as passed). #}
{%- set stages = ['lead', 'mql', 'sql', 'opportunity', 'customer'] -%}

with changes as (

    select
        contact_id,
        changed_at,
        changed_date,
        case lifecycle_stage
            {%- for stage in stages %}
            when '{{ stage }}' then {{ loop.index }}
            {%- endfor %}
        end as stage_rank
    from {{ ref('stg_crm__lifecycle_stage_changes') }}

),

first_entries as (

    select contact_id, stage_rank, min(changed_date) as entered_date
    from changes
    where stage_rank is not null
    group by contact_id, stage_rank

),

steps as (

    {%- for stage in stages[:-1] %}
    select {{ loop.index }} as step_rank, '{{ stage }}' as from_stage, '{{ stages[loop.index] }}' as to_stage
    {%- if not loop.last %} union all{% endif %}
    {%- endfor %}

),

progress as (

    select
        steps.step_rank,
        steps.from_stage,
        steps.to_stage,
        entered.contact_id,
        entered.entered_date,
        min(later.entered_date) as advanced_date
    from steps
    inner join first_entries as entered
        on entered.stage_rank = steps.step_rank
    left join first_entries as later
        on later.contact_id = entered.contact_id
        and later.stage_rank > steps.step_rank
        and later.entered_date >= entered.entered_date
    group by 1, 2, 3, 4, 5

),

final as (

    select
        {{ month_of('entered_date') }} as month_start,
        step_rank,
        from_stage,
        to_stage,
        count(*) as contacts_entered,
        count(advanced_date) as contacts_advanced,
        {{ safe_ratio('count(advanced_date)', 'count(*)') }} as funnel_conversion,
        cast({{ percentile(dbt.datediff('entered_date', 'advanced_date', 'day'), 0.5) }} as double) as funnel_days_median
    from progress
    group by 1, 2, 3, 4

)

select * from final
