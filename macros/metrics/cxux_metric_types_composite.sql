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
    period and slice (inner join: a value needs every input). `metrics` lists the
    inputs; without it, every registry metric named in the expression is an input.
    Write divisions with nullif(x, 0): engines differ on division by zero.
    sample_size = the smallest input sample size; no interval. -#}
{% macro cxux_metric_derived(definition) -%}
    {{ return(adapter.dispatch('cxux_metric_derived', 'cxux')(definition)) }}
{%- endmacro %}
{% macro default__cxux_metric_derived(definition) -%}
    {%- set expression = cxux_metric_required(definition, ['expression', 'formula']) -%}
    {%- set inputs = cxux_metric_param(definition, ['metrics', 'inputs', 'depends_on']) -%}
    {%- if not inputs -%}
        {%- set known = cxux_metric_registry_or_empty() | map(attribute='name') | list -%}
        {%- set inputs = [] -%}
        {%- for token in modules.re.findall('[A-Za-z_][A-Za-z0-9_]*', expression) -%}
            {%- if token in known and token not in inputs -%}{%- do inputs.append(token) -%}{%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if not inputs -%}
        {{ exceptions.raise_compiler_error("cxux: derived metric '" ~ definition['name'] ~ "' names no input metric") }}
    {%- endif -%}
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
    {%- set numerator = cxux_metric_required(definition, 'numerator_metric') -%}
    {%- set denominator = cxux_metric_required(definition, 'denominator_metric') -%}
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
    (current - previous) or relative ((current - previous) / |previous|, default;
    null when previous is 0 or missing). numerator = current value, denominator =
    previous value, sample_size = the current period's. -#}
{% macro cxux_metric_period_over_period(definition) -%}
    {{ return(adapter.dispatch('cxux_metric_period_over_period', 'cxux')(definition)) }}
{%- endmacro %}
{% macro default__cxux_metric_period_over_period(definition) -%}
    {%- set base = cxux_metric_required(definition, ['base_metric', 'metric', 'base']) -%}
    {%- set comparison = cxux_metric_param(definition, ['comparison', 'compare_to', 'offset'], 'previous_period') -%}
    {%- set change = cxux_metric_param(definition, ['change', 'change_type', 'calculation'], 'relative') -%}
    {%- set grains = cxux_metric_grains(definition) -%}
    {%- if comparison not in ['previous_period', 'same_period_last_year'] or change not in ['absolute', 'relative'] -%}
        {{ exceptions.raise_compiler_error("cxux: metric '" ~ definition['name'] ~ "': comparison must be previous_period or same_period_last_year and change absolute or relative") }}
    {%- endif -%}
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

{#- rolling: an aggregate (agg: count_distinct (default), count or sum of
    `measure`) over the trailing `window_days` days ending on each day, the day
    included: the value on day d covers (d - window_days, d]. Each activity row is
    spread over the days whose window contains it (offsets 0 .. window_days - 1),
    so no date spine or range join is needed; days after the last activity date
    are not evaluated. The spec allows grains [day]; for coarser grains the value
    is the one on the last evaluated day of the period (e.g. a monthly 28-day
    active-user count = the count on the month's last day). A slice with nothing in
    a window has no row (its value is 0). sample_size = rows in the window (for
    count_distinct, distinct (day, value) pairs). -#}
{% macro cxux_metric_rolling(definition) -%}
    {{ return(adapter.dispatch('cxux_metric_rolling', 'cxux')(definition)) }}
{%- endmacro %}
{% macro default__cxux_metric_rolling(definition) -%}
    {%- set window_days = cxux_metric_required(definition, ['window_days', 'window', 'days']) | int -%}
    {%- set aggregation = cxux_metric_param(definition, ['agg', 'aggregation'], 'count_distinct') -%}
    {%- if aggregation not in ['count_distinct', 'count', 'sum'] -%}
        {{ exceptions.raise_compiler_error("cxux: rolling metric '" ~ definition['name'] ~ "': agg must be count_distinct, count or sum") }}
    {%- endif -%}
    {%- set measure = cxux_metric_param(definition, ['measure', 'column']) or ('1' if aggregation == 'count' else cxux_metric_measure(definition)) -%}
    {%- set time = cxux_metric_required(definition, ['time', 'time_column', 'timestamp']) -%}
    {%- set filter = cxux_metric_param(definition, ['filter', 'where']) -%}
    {%- set grains = cxux_metric_grains(definition) -%}
    {%- set dimensions = cxux_metric_dimensions(definition) -%}
    {%- set crossings = cxux_metric_crossings(definition) -%}
    {%- set type_string = dbt.type_string() -%}
    {%- set aggregate = {'count_distinct': 'count(distinct measure_value)', 'count': 'count(measure_value)', 'sum': 'sum(' ~ cxux_double('measure_value') ~ ')'}[aggregation] -%}
with source as (

    select * from {{ ref(cxux_metric_required(definition, ['model', 'source_model'])) }}

),

activity as (

    select {{ 'distinct' if aggregation == 'count_distinct' }}
        cast({{ time }} as date) as activity_date,
        {%- for dimension in dimensions %}
        coalesce(cast({{ dimension['expression'] }} as {{ type_string }}), 'unknown') as dimension__{{ dimension['name'] }},
        {%- endfor %}
        {{ measure }} as measure_value
    from source
    where {{ time }} is not null
        and {{ measure }} is not null
    {%- if filter %}
        and ({{ filter }})
    {%- endif %}

),

window_offsets as (

    {%- for offset in range(window_days) %}
    select {{ offset }} as day_offset{{ ' union all' if not loop.last }}
    {%- endfor %}

),

last_activity as (

    select max(activity_date) as last_activity_date from activity

),

spread as (

    select
        cast({{ dbt.dateadd('day', 'window_offsets.day_offset', 'activity.activity_date') }} as date) as evaluation_date,
        activity.*
    from activity
    cross join window_offsets

),

windowed as (

    select spread.*
    from spread
    cross join last_activity
    where spread.evaluation_date <= last_activity.last_activity_date

),

daily as (

    select
        evaluation_date,
        {{ cxux_metric_slice_columns(dimensions, crossings) }}
        {{ aggregate }} as window_value,
        count(*) as window_rows
    from windowed
    group by grouping sets (
        (evaluation_date){% for dimension in dimensions %},
        (evaluation_date, dimension__{{ dimension['name'] }}){% endfor %}{% for crossing in crossings %},
        (evaluation_date, dimension__{{ crossing | join(', dimension__') }}){% endfor %}
    )

),

by_grain as (
    {%- for grain in grains %}

    select
        '{{ grain }}' as grain,
        {{ cxux_period_start(grain, 'daily.evaluation_date') }} as period_start,
        daily.*,
        {%- if grain == 'day' %}
        daily.evaluation_date as period_last_date
        {%- else %}
        least(
            cast({{ dbt.dateadd('day', -1, cxux_period_end(grain, cxux_period_start(grain, 'daily.evaluation_date'))) }} as date),
            last_activity.last_activity_date
        ) as period_last_date
        {%- endif %}
    from daily
    cross join last_activity
    {{- '\n\n    union all' if not loop.last }}
    {%- endfor %}

),

computed as (

    select
        grain,
        period_start,
        dimension_name,
        dimension_value,
        {{ cxux_metric_computed('window_value', 'window_rows', 'window_value') | join(',\n        ') }}
    from by_grain
    where evaluation_date = period_last_date

),

{{ cxux_metric_finalize(definition) }}
{%- endmacro %}
