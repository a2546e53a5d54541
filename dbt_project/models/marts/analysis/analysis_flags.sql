{#-
    Risks and opportunities of the KPI totals (dimension 'total'), one row per flagged KPI and month.
    A value is flagged when its change against the prior period reaches the threshold of its change_kind
    (relative: var analysis_change_threshold, 15 % of the prior value; percentage_points: var
    analysis_change_threshold_pp; points: var analysis_change_threshold_points), or when it lies at least
    var analysis_z_threshold (3) robust z-scores from the median of its trailing 12 periods (current
    excluded); robust z = (value − median) / (1.4826 × MAD).
    Both measures are signed with the KPI's direction (seed kpi_directions), so the same move is a risk
    for one KPI and an opportunity for another. Adverse on either measure is a risk (a risk is never
    hidden by a favourable second measure); otherwise favourable is an opportunity. A KPI without history
    (no prior value and fewer than var analysis_min_baseline_periods (6) baseline periods) is not flagged.
    MAD 0 (a constant baseline) gives no z-score; a prior value of 0 gives no relative change.
    A rate or score with a denominator (registry) is flagged only when both periods have at least var
    flag_min_denominator cases and the change against the prior period is significant: |z| of a
    two-proportion test (rates) or of the difference of two NPS-type scores at least var
    flag_significance_z (macro change_significance_z). A provisional period (inside its maturity lag)
    is never flagged.
-#}
{%- set z_threshold = var('analysis_z_threshold', 3) -%}
{%- set min_periods = var('analysis_min_baseline_periods', 6) -%}
{%- set thresholds = change_thresholds() -%}

with kpi_values as (

    select
        *,
        {{ dbt.datediff("cast('2000-01-01' as date)", 'month_start', 'month') }} as period_index
    from {{ ref('analysis_kpi_values') }}
    where dimension = 'total'

),

directions as (

    select * from {{ ref('kpi_directions') }}

),

baseline_pairs as (

    select
        current_value.kpi_id,
        current_value.month_start,
        history.value as history_value
    from kpi_values as current_value
    inner join kpi_values as history
        on history.kpi_id = current_value.kpi_id
        and history.period_index between current_value.period_index - 12 and current_value.period_index - 1
    where history.value is not null

),

baseline_median as (

    select kpi_id, month_start, median(history_value) as baseline_median, count(*) as baseline_periods
    from baseline_pairs
    group by kpi_id, month_start

),

baseline as (

    select
        baseline_median.kpi_id,
        baseline_median.month_start,
        baseline_median.baseline_median,
        baseline_median.baseline_periods,
        median(abs(baseline_pairs.history_value - baseline_median.baseline_median)) as baseline_mad
    from baseline_median
    inner join baseline_pairs
        on baseline_pairs.kpi_id = baseline_median.kpi_id
        and baseline_pairs.month_start = baseline_median.month_start
    group by 1, 2, 3, 4

),

compared as (

    {{ period_comparisons('kpi_values', ['value', 'denominator'], partition_by=['kpi_id', 'dimension', 'dimension_value']) }}

),

measured as (

    select
        compared.kpi_id,
        compared.month_start,
        compared.dimension,
        compared.dimension_value,
        compared.value,
        compared.value_prior_period as prior_period_value,
        coalesce(compared.change_kind, 'relative') as change_kind,
        coalesce(compared.provisional, false) as provisional,
        compared.denominator,
        compared.denominator_prior_period as prior_denominator,
        {{ measured_change('compared.value', 'compared.value_prior_period', 'compared.change_kind', 'relative') }} as change_prior_period_pct,
        {{ measured_change('compared.value', 'compared.value_prior_period', 'compared.change_kind', 'points') }} as change_prior_period_points,
        {{ change_significance_z('compared.change_kind', 'compared.value_prior_period', 'compared.denominator_prior_period',
            'compared.value', 'compared.denominator') }} as significance_z,
        baseline.baseline_median,
        baseline.baseline_mad,
        coalesce(baseline.baseline_periods, 0) as baseline_periods,
        case
            when baseline.baseline_periods >= {{ min_periods }} and baseline.baseline_mad > 0
                then (compared.value - baseline.baseline_median) / (1.4826 * baseline.baseline_mad)
        end as robust_z,
        case when directions.better = 'lower' then -1 else 1 end as direction_sign,
        coalesce(directions.better, 'higher') as better
    from compared
    left join baseline
        on baseline.kpi_id = compared.kpi_id
        and baseline.month_start = compared.month_start
    left join directions
        on directions.kpi_id = compared.kpi_id
    where compared.value is not null

),

scored as (

    select
        *,
        direction_sign * coalesce(change_prior_period_pct, change_prior_period_points) / case change_kind
            {%- for kind, threshold in thresholds.items() %} when '{{ kind }}' then {{ threshold }}{% endfor %}
        end as change_score,
        direction_sign * robust_z / {{ z_threshold }} as z_score,
        case
            when denominator is null then null
            else least(denominator, coalesce(prior_denominator, 0)) >= {{ var('flag_min_denominator') }}
                and abs(coalesce(significance_z, 0)) >= {{ var('flag_significance_z') }}
        end as significant
    from measured

),

classified as (

    select
        *,
        case
            when provisional or not coalesce(significant, true) then null
            when change_score <= -1 or z_score <= -1 then 'risk'
            when change_score >= 1 or z_score >= 1 then 'opportunity'
        end as flag_type,
        concat_ws('+',
            case when abs(change_score) >= 1 then 'change_prior_period' end,
            case when abs(z_score) >= 1 then 'robust_z' end
        ) as flag_reason,
        greatest(coalesce(abs(change_score), 0), coalesce(abs(z_score), 0)) as severity
    from scored

),

final as (

    select
        kpi_id,
        month_start,
        dimension,
        dimension_value,
        better,
        value,
        prior_period_value,
        change_kind,
        change_prior_period_pct,
        change_prior_period_points,
        denominator,
        prior_denominator,
        significance_z,
        significant,
        provisional,
        baseline_median,
        baseline_mad,
        cast(baseline_periods as integer) as baseline_periods,
        robust_z,
        flag_type,
        flag_reason,
        severity
    from classified
    where flag_type is not null

)

select * from final
