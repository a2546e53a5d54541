{#-
    Will the year's target be reached? One row per KPI, dimension value and calendar year that seed
    kpi_targets gives a target for every month of. The year-to-date (YTD) runs through the last month
    with a value, provisional months included (shown, counted in provisional_months).
    How months combine (registry, kpi_registry()): an additive KPI (amounts, counts) sums them and its
    annual target is the sum of the monthly targets; any other KPI weights each month's value by its
    denominator (sessions, answers, orders: sum(value * denominator) / sum(denominator), the ratio of the
    summed numerator and denominator) or, without one, takes the mean of the months; its annual target
    is the mean of the monthly targets. The pro-rata target is that combination of the monthly targets
    through the YTD month (annual * m / 12 for flat additive targets).
    The forecast rests on the basis: the months that are final (not provisional), B over k months.
      run rate   additive: B * 12 / k                  other: B
      seasonal   additive: B * P12 / Pk                other: B + (P12 - Pk)
    where P12 is the prior year's whole-year value and Pk its value over the same k months: the
    remaining months weigh what they weighed last year (additive: B / Pk is the growth so far, P12 - Pk
    the prior year's remaining share). The forecast is the seasonal estimate, or the run rate while the
    prior year lacks a month; the range runs from the lower to the higher of the two estimates.
    Outlook, direction-aware (seed kpi_directions): yes when the whole range meets the annual target,
    no when none of it does, at_risk when the target lies inside it; no_data without a final month.
-#}
{%- set kpis = kpi_registry() | selectattr('analysis') | list -%}


with targets as (

    select
        kpi_id,
        cast(period_start as date) as month_start,
        coalesce(dimension, 'total') as dimension,
        coalesce(dimension_value, 'total') as dimension_value,
        cast(target_value as double) as target_value
    from {{ ref('kpi_targets') }}

),

directions as (

    select * from {{ ref('kpi_directions') }}

),

kpi_values as (

    select * from {{ ref('analysis_kpi_values') }}

),

kpi_attributes (kpi_id, additive, weighted) as (

    values
    {%- for kpi in kpis %}
        ('{{ kpi.id }}', {{ kpi.additive | lower }}, {{ (kpi.denominator is not none) | lower }}){{ ',' if not loop.last }}
    {%- endfor %}

),

-- years with a target for each of their twelve months
target_years as (

    select
        targets.kpi_id,
        targets.dimension,
        targets.dimension_value,
        year(targets.month_start) as target_year,
        coalesce(kpi_attributes.additive, false) as additive,
        coalesce(kpi_attributes.weighted, false) as weighted
    from targets
    left join kpi_attributes
        on kpi_attributes.kpi_id = targets.kpi_id
    group by all
    having count(distinct month(targets.month_start)) = 12

),

-- each month's value with the weight it carries in a non-additive KPI's year
months as (

    select
        target_years.kpi_id,
        target_years.dimension,
        target_years.dimension_value,
        target_years.target_year,
        target_years.additive,
        year(kpi_values.month_start) as value_year,
        month(kpi_values.month_start) as month_no,
        kpi_values.month_start,
        kpi_values.value,
        kpi_values.provisional,
        case when target_years.weighted then kpi_values.denominator else 1 end as weight
    from target_years
    inner join kpi_values
        on kpi_values.kpi_id = target_years.kpi_id
        and kpi_values.dimension = target_years.dimension
        and kpi_values.dimension_value = target_years.dimension_value
        and year(kpi_values.month_start) in (target_years.target_year, target_years.target_year - 1)
    where kpi_values.value is not null
        and (not target_years.weighted or kpi_values.denominator > 0)

),

current_year as (

    select * from months where value_year = target_year

),

prior_year as (

    select * from months where value_year = target_year - 1

),

ytd as (

    select
        kpi_id,
        dimension,
        dimension_value,
        target_year,
        max(month_start) as ytd_through,
        count(*) as ytd_months,
        count(*) filter (where provisional) as provisional_months,
        {{ months_combined('value', 'weight', 'bool_or(additive)') }} as ytd_value,
        count(*) filter (where not provisional) as basis_months,
        {{ months_combined('value', 'weight', 'bool_or(additive)', 'not provisional') }} as basis_value
    from current_year
    group by kpi_id, dimension, dimension_value, target_year

),

-- the prior year over all its months, and over the final months of the target year
prior as (

    select
        prior_year.kpi_id,
        prior_year.dimension,
        prior_year.dimension_value,
        prior_year.target_year,
        count(*) as prior_months,
        {{ months_combined('prior_year.value', 'prior_year.weight', 'bool_or(prior_year.additive)') }} as prior_full,
        {{ months_combined('prior_year.value', 'prior_year.weight', 'bool_or(prior_year.additive)', 'basis.month_no is not null') }}
            as prior_same
    from prior_year
    left join current_year as basis
        on basis.kpi_id = prior_year.kpi_id
        and basis.dimension = prior_year.dimension
        and basis.dimension_value = prior_year.dimension_value
        and basis.target_year = prior_year.target_year
        and basis.month_no = prior_year.month_no
        and not basis.provisional
    group by prior_year.kpi_id, prior_year.dimension, prior_year.dimension_value, prior_year.target_year

),

year_targets as (

    select
        target_years.kpi_id,
        target_years.dimension,
        target_years.dimension_value,
        target_years.target_year,
        case when bool_or(target_years.additive) then sum(targets.target_value) else avg(targets.target_value) end
            as annual_target,
        case
            when bool_or(target_years.additive)
                then sum(targets.target_value) filter (where targets.month_start <= ytd.ytd_through)
            else avg(targets.target_value) filter (where targets.month_start <= ytd.ytd_through)
        end as ytd_target
    from target_years
    inner join targets
        on targets.kpi_id = target_years.kpi_id
        and targets.dimension = target_years.dimension
        and targets.dimension_value = target_years.dimension_value
        and year(targets.month_start) = target_years.target_year
    left join ytd
        on ytd.kpi_id = target_years.kpi_id
        and ytd.dimension = target_years.dimension
        and ytd.dimension_value = target_years.dimension_value
        and ytd.target_year = target_years.target_year
    group by target_years.kpi_id, target_years.dimension, target_years.dimension_value, target_years.target_year

),

estimated as (

    select
        target_years.*,
        coalesce(directions.better, 'higher') as better,
        year_targets.annual_target,
        year_targets.ytd_target,
        ytd.ytd_through,
        coalesce(ytd.ytd_months, 0) as ytd_months,
        coalesce(ytd.provisional_months, 0) as provisional_months,
        ytd.ytd_value,
        coalesce(ytd.basis_months, 0) as basis_months,
        case
            when ytd.basis_months = 0 then null
            when target_years.additive then ytd.basis_value * 12 / ytd.basis_months
            else ytd.basis_value
        end as run_rate_estimate,
        case
            when ytd.basis_months = 0 or prior.prior_months < 12 then null
            when target_years.additive then ytd.basis_value * {{ safe_ratio('prior.prior_full', 'prior.prior_same') }}
            else ytd.basis_value + prior.prior_full - prior.prior_same
        end as seasonal_estimate,
        case
            when target_years.additive and prior.prior_months = 12
                then 1 - {{ safe_ratio('prior.prior_same', 'prior.prior_full') }}
        end as prior_year_remaining_share
    from target_years
    inner join year_targets
        on year_targets.kpi_id = target_years.kpi_id
        and year_targets.dimension = target_years.dimension
        and year_targets.dimension_value = target_years.dimension_value
        and year_targets.target_year = target_years.target_year
    left join directions
        on directions.kpi_id = target_years.kpi_id
    left join ytd
        on ytd.kpi_id = target_years.kpi_id
        and ytd.dimension = target_years.dimension
        and ytd.dimension_value = target_years.dimension_value
        and ytd.target_year = target_years.target_year
    left join prior
        on prior.kpi_id = target_years.kpi_id
        and prior.dimension = target_years.dimension
        and prior.dimension_value = target_years.dimension_value
        and prior.target_year = target_years.target_year

),

forecast as (

    select
        *,
        coalesce(seasonal_estimate, run_rate_estimate) as forecast,
        least(run_rate_estimate, coalesce(seasonal_estimate, run_rate_estimate)) as forecast_low,
        greatest(run_rate_estimate, coalesce(seasonal_estimate, run_rate_estimate)) as forecast_high
    from estimated

),

final as (

    select
        kpi_id,
        dimension,
        dimension_value,
        cast(target_year as integer) as target_year,
        better,
        case when additive then 'sum' when weighted then 'weighted_by_denominator' else 'mean_of_months' end
            as ytd_method,
        annual_target,
        ytd_through,
        cast(ytd_months as integer) as ytd_months,
        cast(provisional_months as integer) as provisional_months,
        ytd_value,
        ytd_target,
        ytd_value - ytd_target as ytd_gap,
        case
            when better = 'lower' then {{ safe_ratio('ytd_target', 'ytd_value') }}
            else {{ safe_ratio('ytd_value', 'ytd_target') }}
        end as ytd_attainment,
        cast(basis_months as integer) as basis_months,
        run_rate_estimate,
        prior_year_remaining_share,
        seasonal_estimate,
        case
            when forecast is null then null
            when basis_months = 12 then 'actual'
            when seasonal_estimate is not null then 'seasonal'
            else 'run_rate'
        end as forecast_method,
        forecast,
        forecast_low,
        forecast_high,
        forecast - annual_target as gap_to_target,
        case
            when better = 'lower' then {{ safe_ratio('annual_target', 'forecast') }}
            else {{ safe_ratio('forecast', 'annual_target') }}
        end as forecast_attainment,
        case
            when forecast is null then 'no_data'
            when better = 'lower' and forecast_high <= annual_target then 'yes'
            when better = 'lower' and forecast_low > annual_target then 'no'
            when better = 'higher' and forecast_low >= annual_target then 'yes'
            when better = 'higher' and forecast_high < annual_target then 'no'
            else 'at_risk'
        end as outlook
    from forecast

)

select * from final
