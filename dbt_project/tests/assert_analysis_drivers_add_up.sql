-- The contributions of every dimension of a KPI and month (mix + rate effects for ratios) add up to
-- the KPI's change; a row is a dimension where they do not.
select kpi_id, month_start, dimension
from {{ ref('analysis_drivers') }}
group by kpi_id, month_start, dimension
having abs(coalesce(sum(contribution), 0) - coalesce(max(total_change), 0)) > 1e-6 * (1 + abs(coalesce(max(total_change), 0)))
