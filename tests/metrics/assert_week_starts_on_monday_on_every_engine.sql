{#- Weeks start on Monday: both the adapter's implementation of cxux_period_start
    and the portable default (used on engines whose date_trunc('week') differs) give
    the Monday on or before each date, including dates before 1900-01-01 (the
    default's reference Monday). Returns the rows that differ. -#}
with expected as (

    select cast('2026-01-04' as date) as day_date, cast('2025-12-29' as date) as week_start
    union all select cast('2026-01-05' as date), cast('2026-01-05' as date)
    union all select cast('2026-01-11' as date), cast('2026-01-05' as date)
    union all select cast('2024-02-29' as date), cast('2024-02-26' as date)
    union all select cast('1899-12-31' as date), cast('1899-12-25' as date)
    union all select cast('1900-01-01' as date), cast('1900-01-01' as date)

),

computed as (

    select
        day_date,
        week_start,
        {{ cxux_period_start('week', 'day_date') }} as adapter_week_start,
        {{ default__cxux_period_start('week', 'day_date') }} as default_week_start
    from expected

)

select *
from computed
where adapter_week_start <> week_start
    or default_week_start <> week_start
    or adapter_week_start is null
    or default_week_start is null
