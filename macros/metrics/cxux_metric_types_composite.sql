{#- Types computed from other metrics' outputs (derived, period_over_period) or
    with their own windowing (rolling). Metric models are named metric__<name>. -#}

{% macro cxux_metric_relation(name) -%}
    {{ return(ref('metric__' ~ name)) }}
{%- endmacro %}

{#- Base rows of another metric, restricted to this definition's grains and slices
    (the total, each dimension, each crossing). -#}
{% macro cxux_metric_input_rows(definition, name) -%}
    {%- set grains = cxux_metric_grains(definition) -%}
    {%- set slices = cxux_metric_slice_names(definition) -%}
    select *
    from {{ cxux_metric_relation(name) }}
    where grain in ('{{ grains | join("', '") }}')
        and dimension_name in ('total'{% for slice in slices %}, '{{ slice }}'{% endfor %})
{%- endmacro %}

{#- derived: an arithmetic expression over other metrics' values at the same grain,
    period and slice (inner join: a value needs every input); the inputs are the
    normalized definition's depends_on.
    Write divisions with nullif(x, 0): engines differ on division by zero.
    sample_size = the smallest input sample size; no interval. -#}
{% macro cxux_metric_derived(definition) -%}
    {{ return(adapter.dispatch('cxux_metric_derived', 'cxux')(definition)) }}
{%- endmacro %}
{% macro default__cxux_metric_derived(definition) -%}
    {%- set expression = definition['expression'] -%}
    {#- depends_on: the metrics the expression names (validated) -#}
    {%- set inputs = definition['depends_on'] -%}
    {%- set ns = namespace(sql=expression) -%}
    {#- two passes through placeholders, so a replacement never matches a later name -#}
    {%- for name in inputs -%}
        {%- set ns.sql = modules.re.sub('\\b' ~ name ~ '\\b', '@@' ~ loop.index0 ~ '@@', ns.sql) -%}
    {%- endfor -%}
    {%- for name in inputs -%}
        {%- set ns.sql = ns.sql.replace('@@' ~ loop.index0 ~ '@@', 'input_' ~ loop.index0 ~ '.value') -%}
    {%- endfor -%}
with
{%- for name in inputs %}
input_{{ loop.index0 }} as (

    {{ cxux_metric_input_rows(definition, name) }}

),
{% endfor %}
joined as (

    select
        input_0.grain,
        input_0.period_start,
        input_0.dimension_name,
        input_0.dimension_value,
        {{ ns.sql }} as value,
        {%- if inputs | length > 1 %}
        least({% for name in inputs %}input_{{ loop.index0 }}.sample_size{{ ', ' if not loop.last }}{% endfor %}) as sample_size
        {%- else %}
        input_0.sample_size
        {%- endif %}
    from input_0
    {%- for name in inputs[1:] %}
    inner join input_{{ loop.index }}
        on input_{{ loop.index }}.grain = input_0.grain
        and input_{{ loop.index }}.period_start = input_0.period_start
        and input_{{ loop.index }}.dimension_name = input_0.dimension_name
        and input_{{ loop.index }}.dimension_value = input_0.dimension_value
    {%- endfor %}

),

computed as (

    select
        grain,
        period_start,
        dimension_name,
        dimension_value,
        {{ cxux_metric_computed('value', 'sample_size') | join(',\n        ') }}
    from joined

),

{{ cxux_metric_finalize(definition) }}
{%- endmacro %}

{#- ratio of two metrics' values (type ratio with numerator_metric/denominator_metric). -#}
{% macro cxux_metric_ratio_of_metrics(definition) -%}
    {%- set numerator = definition['numerator_metric'] -%}
    {%- set denominator = definition['denominator_metric'] -%}
with numerator_metric as (

    {{ cxux_metric_input_rows(definition, numerator) }}

),

denominator_metric as (

    {{ cxux_metric_input_rows(definition, denominator) }}

),

computed as (

    select
        numerator_metric.grain,
        numerator_metric.period_start,
        numerator_metric.dimension_name,
        numerator_metric.dimension_value,
        {{ cxux_metric_computed(
            'numerator_metric.value / nullif(denominator_metric.value, 0)',
            'least(numerator_metric.sample_size, denominator_metric.sample_size)',
            'numerator_metric.value', 'denominator_metric.value') | join(',\n        ') }}
    from numerator_metric
    inner join denominator_metric
        on denominator_metric.grain = numerator_metric.grain
        and denominator_metric.period_start = numerator_metric.period_start
        and denominator_metric.dimension_name = numerator_metric.dimension_name
        and denominator_metric.dimension_value = numerator_metric.dimension_value

),

{{ cxux_metric_finalize(definition) }}
{%- endmacro %}

{#- period_over_period: a base metric's value against the previous period
    (comparison: previous_period, default) or the same period a year before
    (same_period_last_year: day -> same date, week -> 52 weeks before so the
    weekday matches, month/quarter/year -> 12 months before). change: absolute
    (current - previous) or relative ((current - previous) / |previous|;
    null when previous is 0 or missing). numerator = current value, denominator =
    previous value, sample_size = the current period's. -#}
{% macro cxux_metric_period_over_period(definition) -%}
    {{ return(adapter.dispatch('cxux_metric_period_over_period', 'cxux')(definition)) }}
{%- endmacro %}
{% macro default__cxux_metric_period_over_period(definition) -%}
    {%- set base = definition['base_metric'] -%}
    {%- set comparison = definition['comparison'] -%}
    {%- set change = definition['change'] -%}
    {%- set grains = cxux_metric_grains(definition) -%}
with base as (

    {{ cxux_metric_input_rows(definition, base) }}

),

joined as (

    select
        current_period.grain,
        current_period.period_start,
        current_period.dimension_name,
        current_period.dimension_value,
        current_period.value as current_value,
        previous_period.value as previous_value,
        current_period.sample_size
    from base as current_period
    left join base as previous_period
        on previous_period.grain = current_period.grain
        and previous_period.dimension_name = current_period.dimension_name
        and previous_period.dimension_value = current_period.dimension_value
        and previous_period.period_start = case current_period.grain
            {%- for grain in grains %}
            {%- if comparison == 'previous_period' %}
            when '{{ grain }}' then {{ cxux_period_shift(grain, 'current_period.period_start', -1) }}
            {%- elif grain == 'week' %}
            when 'week' then {{ cxux_period_shift('week', 'current_period.period_start', -52) }}
            {%- else %}
            when '{{ grain }}' then cast({{ dbt.dateadd('month', -12, 'current_period.period_start') }} as date)
            {%- endif %}
            {%- endfor %}
        end

),

computed as (

    select
        grain,
        period_start,
        dimension_name,
        dimension_value,
        {%- if change == 'absolute' %}
        {%- set value = 'current_value - previous_value' %}
        {%- else %}
        {%- set value = '(current_value - previous_value) / nullif(abs(' ~ cxux_double('previous_value') ~ '), 0)' %}
        {%- endif %}
        {{ cxux_metric_computed(value, 'sample_size', 'current_value', 'previous_value') | join(',\n        ') }}
    from joined

),

{{ cxux_metric_finalize(definition) }}
{%- endmacro %}

{#- rolling: the distinct values of `measure` (agg count_distinct, the one the spec
    allows) over the trailing `window_days` (W) days ending on each day, the day
    included: the value on day d covers (d - W, d]. Grain day only (the validator
    rejects other aggs and grains). Days after the last activity date are not
    evaluated. A slice with nothing in a window has no row (its value is 0).
    sample_size = distinct (day, value) pairs in the window.

    Linear in rows after one sort (no copy of each row per day of its window): an
    entity active on day a is in the windows of days [a, a + W - 1]. Per slice and
    entity, consecutive active days less than W apart merge into one covered
    interval (gaps and islands, with lag/lead): +1 on the first day of an island,
    -1 on the day after it ends (last active day + W). The running sum of these
    changes over a slice's days is the distinct count; the rows (sample_size) of
    the W days ending on each day come from a range frame over the day number.
    Days evaluated per slice: its active days plus the W days after each (the
    grid), so every change falls on a grid day; the grid's size is the output's. -#}
{% macro cxux_metric_rolling(definition) -%}
    {{ return(adapter.dispatch('cxux_metric_rolling', 'cxux')(definition)) }}
{%- endmacro %}
{% macro default__cxux_metric_rolling(definition) -%}
    {#- validated: agg count_distinct over a measure, grains [day] -#}
    {%- set window_days = definition['window_days'] | int -%}
    {%- set measure = definition['measure'] -%}
    {%- set time = definition['time'] -%}
    {%- set filter = definition['filter'] -%}
    {%- set grains = cxux_metric_grains(definition) -%}
    {%- set dimensions = cxux_metric_dimensions(definition) -%}
    {%- set crossings = cxux_metric_crossings(definition) -%}
    {%- set type_string = dbt.type_string() -%}
    {%- set entity = ', measure_value' -%}
    {%- set slice = 'dimension_name, dimension_value' -%}
    {%- set checksums = cxux_metric_is_incremental_model() -%}
    {%- set incremental_run = checksums and cxux_metric_incremental_run() -%}
    {%- set dimension_columns = [] -%}
    {%- for dimension in dimensions -%}
        {%- do dimension_columns.append(cxux_metric_slice_value(dimension['expression'])) -%}
    {%- endfor %}
with source as (

    select * from {{ ref(definition['model']) }}

),

counted as {{ cxux_inline_cte() }} (

    select *
    from source
    where {{ time }} is not null
        and {{ measure }} is not null
    {%- if filter %}
        and ({{ filter }})
    {%- endif %}

),
{%- if checksums %}

{#- Incremental (docs/incremental.md, "Metric models"): each day's own source rows are
    checksummed (stored on the day's total row). A run rebuilds every day from the first
    changed one on, from the source rows of the window before it: a day's value reads
    only its own window, so the days before stay as they are. -#}
day_checksums as (

    select
        cast({{ time }} as date) as activity_date,
        sum({{ cxux_row_checksum(['cast(' ~ time ~ ' as date)'] + dimension_columns + [measure,
            "'" ~ local_md5(tojson(definition, sort_keys=true)) ~ "'"]) }}) as source_checksum
    from counted
    group by cast({{ time }} as date)

),
{%- endif %}
{%- if incremental_run %}

changed_days as (

    select coalesce(day_checksums.activity_date, stored.period_start) as activity_date
    from day_checksums
    full outer join (
        select period_start, source_checksum, is_complete_period
        from {{ this }}
        where grain = 'day' and dimension_name = 'total'
    ) as stored
        on stored.period_start = day_checksums.activity_date
    where coalesce(day_checksums.source_checksum, 0) <> coalesce(stored.source_checksum, 0)
        {#- a day stored while it was running is rebuilt until it is complete #}
        or (stored.period_start is not null and not coalesce(stored.is_complete_period, false))

),

rebuild_from as (

    select min(activity_date) as first_changed_date
    from changed_days

),
{%- endif %}

activity as (

    select distinct
        cast({{ time }} as date) as activity_date,
        {%- for dimension in dimensions %}
        {{ dimension_columns[loop.index0] }} as dimension__{{ dimension['name'] }},
        {%- endfor %}
        {{ measure }} as measure_value
    from counted
    {%- if incremental_run %}
    where cast({{ time }} as date) >= (
        select cast({{ dbt.dateadd('day', -window_days, 'first_changed_date') }} as date)
        from rebuild_from)
    {%- endif %}

),

last_activity as (

    select max(activity_date) as last_activity_date from activity

),

{#- one row per slice, active day (and entity, for count_distinct) -#}
slice_days as (

    select
        activity_date,
        {{ cxux_metric_slice_columns(dimensions, crossings) }}
        measure_value,
        count(*) as day_rows
    from activity
    group by grouping sets (
        (activity_date{{ entity }}){% for dimension in dimensions %},
        (activity_date{{ entity }}, dimension__{{ dimension['name'] }}){% endfor %}{% for crossing in crossings %},
        (activity_date{{ entity }}, dimension__{{ crossing | join(', dimension__') }}){% endfor %}
    )

),


neighbours as (

    select
        {{ slice }},
        measure_value,
        activity_date,
        day_rows,
        lag(activity_date) over (
            partition by {{ slice }}, measure_value order by activity_date
        ) as previous_date,
        lead(activity_date) over (
            partition by {{ slice }}, measure_value order by activity_date
        ) as next_date
    from slice_days

),

{#- +1 where an island of coverage starts (no active day in the W days before),
    -1 the day after it ends (no active day in the W - 1 days after) -#}
changes as (

    select
        {{ slice }},
        activity_date as change_date,
        case
            when previous_date is null
                or previous_date <= cast({{ dbt.dateadd('day', -window_days, 'activity_date') }} as date)
                then 1
            else 0
        end as distinct_change,
        day_rows
    from neighbours

    union all

    select
        {{ slice }},
        cast({{ dbt.dateadd('day', window_days, 'activity_date') }} as date) as change_date,
        -1 as distinct_change,
        0 as day_rows
    from neighbours
    where next_date is null
        or next_date >= cast({{ dbt.dateadd('day', window_days, 'activity_date') }} as date)

),

daily_changes as (

    select
        {{ slice }},
        change_date,
        sum(distinct_change) as distinct_change,
        sum(day_rows) as day_rows
    from changes
    group by {{ slice }}, change_date

),

window_offsets as (

    {%- for offset in range(window_days + 1) %}
    select {{ offset }} as day_offset{{ ' union all' if not loop.last }}
    {%- endfor %}

),

{#- a slice's evaluated days: each active day and the W days after it, up to the
    last activity date -#}
grid as (

    select distinct
        slice_dates.dimension_name,
        slice_dates.dimension_value,
        cast({{ dbt.dateadd('day', 'window_offsets.day_offset', 'slice_dates.activity_date') }} as date) as evaluation_date
    from (select distinct {{ slice }}, activity_date from slice_days) as slice_dates
    cross join window_offsets
    cross join last_activity
    where cast({{ dbt.dateadd('day', 'window_offsets.day_offset', 'slice_dates.activity_date') }} as date)
        <= last_activity.last_activity_date

),

daily as (

    select
        grid.dimension_name,
        grid.dimension_value,
        grid.evaluation_date,
        {%- set day_number = dbt.datediff("cast('1970-01-01' as date)", 'grid.evaluation_date', 'day') %}
        {%- set frame = 'partition by grid.dimension_name, grid.dimension_value order by ' ~ day_number ~ ' range between ' ~ (window_days - 1) ~ ' preceding and current row' %}
        sum(coalesce(daily_changes.distinct_change, 0)) over (
            partition by grid.dimension_name, grid.dimension_value
            order by grid.evaluation_date
            rows between unbounded preceding and current row
        ) as window_value,
        sum(coalesce(daily_changes.day_rows, 0)) over ({{ frame }}) as window_rows
    from grid
    left join daily_changes
        on daily_changes.dimension_name = grid.dimension_name
        and daily_changes.dimension_value = grid.dimension_value
        and daily_changes.change_date = grid.evaluation_date

),

by_grain as (

    select
        'day' as grain,
        daily.evaluation_date as period_start,
        daily.*
    from daily
    where daily.window_rows > 0

),

computed as (

    select
        by_grain.grain,
        by_grain.period_start,
        by_grain.dimension_name,
        by_grain.dimension_value,
        {{ cxux_metric_computed('by_grain.window_value', 'by_grain.window_rows', 'by_grain.window_value') | join(',\n        ') }}
        {%- if checksums %},
        case
            when by_grain.dimension_name = 'total' then coalesce(day_checksums.source_checksum, 0)
        end as source_checksum
        {%- endif %}
    from by_grain
    {%- if checksums %}
    left join day_checksums
        on day_checksums.activity_date = by_grain.period_start
    {%- endif %}
    {%- if incremental_run %}
    {# the days before the first changed one keep their stored rows: their windows
       were read only in part here #}
    where by_grain.period_start >= (select first_changed_date from rebuild_from)
    {%- endif %}

),

{{ cxux_metric_finalize(definition, checksum=checksums) }}
{%- endmacro %}
