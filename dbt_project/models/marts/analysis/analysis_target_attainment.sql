{#-
    Each target of seed kpi_targets beside the actual value of its KPI, month and dimension value.
    Attainment is direction-aware so that 1.0 always means "target met" and more is always better:
    actual / target where higher is better, target / actual where lower is better (seed kpi_directions).
    Status thresholds (vars, documented in the model docs): on_track from analysis_on_track_attainment
    (0.95), at_risk from analysis_at_risk_attainment (0.85), off_track below. A lower-is-better KPI at 0
    meets any non-negative target. A target without an actual value yet has status no_data.
-#}
{%- set on_track = var('analysis_on_track_attainment', 0.95) -%}
{%- set at_risk = var('analysis_at_risk_attainment', 0.85) -%}

with targets as (

    select * from {{ ref('kpi_targets') }}

),

directions as (

    select * from {{ ref('kpi_directions') }}

),

kpi_values as (

    select * from {{ ref('analysis_kpi_values') }}

),

joined as (

    select
        targets.kpi_id,
        cast(targets.period_start as date) as month_start,
        coalesce(targets.dimension, 'total') as dimension,
        coalesce(targets.dimension_value, 'total') as dimension_value,
        coalesce(directions.better, 'higher') as better,
        kpi_values.value as actual_value,
        cast(targets.target_value as double) as target_value,
        targets.note
    from targets
    left join directions
        on directions.kpi_id = targets.kpi_id
    left join kpi_values
        on kpi_values.kpi_id = targets.kpi_id
        and kpi_values.month_start = cast(targets.period_start as date)
        and kpi_values.dimension = coalesce(targets.dimension, 'total')
        and kpi_values.dimension_value = coalesce(targets.dimension_value, 'total')

),

attained as (

    select
        *,
        case
            when better = 'lower' then {{ safe_ratio('target_value', 'actual_value') }}
            else {{ safe_ratio('actual_value', 'target_value') }}
        end as attainment
    from joined

),

final as (

    select
        kpi_id,
        month_start,
        dimension,
        dimension_value,
        better,
        actual_value,
        target_value,
        actual_value - target_value as gap_to_target,
        attainment,
        case
            when actual_value is null then 'no_data'
            when better = 'lower' and actual_value = 0 and target_value >= 0 then 'on_track'
            when attainment >= {{ on_track }} then 'on_track'
            when attainment >= {{ at_risk }} then 'at_risk'
            else 'off_track'
        end as status,
        note
    from attained

)

select * from final
