{#- Entry point of every generated metric model:
        models/marts/metrics/generated/metric__<name>.sql = {{ cxux_metric_model('<name>') }}
    Looks the definition up in the registry and dispatches to the macro of its type
    (cxux_metric_<type>, one per type, each overridable per adapter). -#}
{% macro cxux_metric_model(name) -%}
    {{ return(cxux_metric_sql(cxux_metric_definition(name))) }}
{%- endmacro %}

{% macro cxux_metric_sql(definition) -%}
    {%- set type = definition['type'] -%}
    {#- an explicit chain: dbt parses adapter.dispatch names statically. The types
        are spec.TYPES (validated); the last branch asserts it. -#}
    {%- if type == 'count' -%}
        {{ return(cxux_metric_count(definition)) }}
    {%- elif type == 'count_distinct' -%}
        {{ return(cxux_metric_count_distinct(definition)) }}
    {%- elif type == 'sum' -%}
        {{ return(cxux_metric_sum(definition)) }}
    {%- elif type == 'average' -%}
        {{ return(cxux_metric_average(definition)) }}
    {%- elif type == 'median' -%}
        {{ return(cxux_metric_median(definition)) }}
    {%- elif type == 'percentile' -%}
        {{ return(cxux_metric_percentile(definition)) }}
    {%- elif type == 'geometric_mean' -%}
        {{ return(cxux_metric_geometric_mean(definition)) }}
    {%- elif type == 'proportion' -%}
        {{ return(cxux_metric_proportion(definition)) }}
    {%- elif type == 'ratio' -%}
        {{ return(cxux_metric_ratio(definition)) }}
    {%- elif type == 'top_box' -%}
        {{ return(cxux_metric_top_box(definition)) }}
    {%- elif type == 'nps' -%}
        {{ return(cxux_metric_nps(definition)) }}
    {%- elif type == 'apdex' -%}
        {{ return(cxux_metric_apdex(definition)) }}
    {%- elif type == 'derived' -%}
        {{ return(cxux_metric_derived(definition)) }}
    {%- elif type == 'rolling' -%}
        {{ return(cxux_metric_rolling(definition)) }}
    {%- elif type == 'period_over_period' -%}
        {{ return(cxux_metric_period_over_period(definition)) }}
    {%- else -%}
        {{ exceptions.raise_compiler_error("cxux: metric '" ~ definition['name'] ~ "' has type '" ~ type ~ "', which `cxux metrics validate` should have rejected") }}
    {%- endif -%}
{%- endmacro %}

{#- The one-pass aggregation shared by the aggregating types.
      columns:    [(alias, expression over the fact's columns)] kept per row
      aggregates: ["aggregate expression as alias", ...] over those columns
      computed:   select list over the aggregates giving value, numerator,
                  denominator, sample_size, ci_lower, ci_upper, ci_method
      percentile: none, or {'fraction': p, 'method': continuous|discrete} for the
                  order statistics (median, percentile): columns is then the one
                  column measure_value, and measure_percentile and row_count come
                  from a percentile aggregate or from ranks, whichever
                  cxux_percentile_strategy picks.
      distinct:   none, or for distinct counts {'key': the counted column's alias,
                  'counts': [(alias of the column, possibly nulled by a filter,
                  whose distinct values are counted, output alias)], 'rows':
                  (row-count aggregate, output alias)}: with the definition's
                  unique_within, cxux_metric_distinct_aggregated computes them.
    Each grain is a column of period starts; grouping sets group by each grain
    alone (the total) and by each grain with each dimension, so one scan yields
    every grain x slice. grouping() tells which set a row belongs to. -#}
{% macro cxux_metric_aggregate(definition, columns, aggregates, computed, percentile=none, distinct=none) -%}
    {%- set grains = cxux_metric_grains(definition) -%}
    {%- set dimensions = cxux_metric_dimensions(definition) -%}
    {%- set crossings = cxux_metric_crossings(definition) -%}
    {%- set time = definition['time'] -%}
    {%- set filter = definition['filter'] -%}
    {#- a metric on a fact with a change feed recomputes the slices the feed changed
        (cxux_metric_feed.sql: its pre-hook lists them); the other incremental metrics
        the periods whose checksum changed -#}
    {%- set follows_feed = cxux_metric_follows_feed() -%}
    {%- set feed_run = follows_feed and is_incremental() -%}
    {%- set checksums = cxux_metric_is_incremental_model() and not follows_feed -%}
    {%- set incremental_run = checksums and cxux_metric_incremental_run() -%}
    {%- set checksummed = [] -%}
    {%- for grain in grains -%}{%- do checksummed.append('period__' ~ grain) -%}{%- endfor -%}
    {%- for dimension in dimensions -%}{%- do checksummed.append('dimension__' ~ dimension['name']) -%}{%- endfor -%}
    {%- for alias, expression in columns -%}{%- do checksummed.append(alias) -%}{%- endfor -%}
with filtered as {{ cxux_inline_cte() }} (

    {{ cxux_metric_filtered(definition, columns, ref(definition['model'])) }}

),
{%- if checksums %}

checksummed as {{ cxux_inline_cte() }} (

    select
        *,
        {#- the definition's hash is part of every row's checksum: a changed definition
            (target, filter, interval ...) rebuilds every period #}
        {{ cxux_row_checksum(checksummed + ["'" ~ local_md5(tojson(definition, sort_keys=true)) ~ "'"]) }} as row_checksum
    from filtered

),
{%- endif %}
{%- if feed_run %}

recomputed as (

    select grain, period_start, dimension_name, dimension_value
    from {{ cxux_metric_recompute_relation() }}
    where grain is not null

),

changed_periods as (

    select distinct grain, period_start
    from recomputed

),
{%- endif %}
{%- if incremental_run %}

{#- Incremental run (docs/incremental.md): recompute only the periods whose source
    rows changed. A period's checksum (sum of its rows' checksums over every column
    the metric reads) is stored on its total row; periods whose checksum differs
    from the stored one, or that are new, are rebuilt whole (delete+insert on
    grain and period_start). -#}
current_checksums as (

    select
        {{ cxux_metric_grouped_period(grains) }}
        sum(row_checksum) as source_checksum
    from checksummed
    group by grouping sets (
        {%- for grain in grains %}
        (period__{{ grain }}){{ ',' if not loop.last }}
        {%- endfor %}
    )

),

stored_checksums as (

    select grain, period_start, source_checksum, is_complete_period
    from {{ this }}
    where dimension_name = 'total'

),

changed_periods as (

    select
        current_checksums.grain,
        current_checksums.period_start
    from current_checksums
    left join stored_checksums
        on stored_checksums.grain = current_checksums.grain
        and stored_checksums.period_start = current_checksums.period_start
    where stored_checksums.source_checksum is null
        or stored_checksums.source_checksum <> current_checksums.source_checksum
        {#- a period stored while it was running is rebuilt until it is complete
            (null: stored before the column existed) #}
        or not coalesce(stored_checksums.is_complete_period, false)

),
{%- endif %}
{%- if incremental_run or feed_run %}

{#- inline: the distinct-count aggregation reads it twice, and DuckDB would write a
    CTE read twice to spill whole (28 GB at 100M events) -#}
changed_rows as {{ cxux_inline_cte() }} (

    select *
    from {{ 'checksummed' if checksums else 'filtered' }}
    where
    {%- for grain in grains %}
        {{ 'or ' if not loop.first }}period__{{ grain }} in (
            select period_start from changed_periods where grain = '{{ grain }}')
    {%- endfor %}

),
{%- endif %}

{%- set aggregated_from = 'changed_rows' if incremental_run or feed_run else 'checksummed' if checksums else 'filtered' %}
{%- set percentile_strategy = cxux_percentile_strategy(
        ref(definition['model']),
        time ~ ' is not null' ~ (' and (' ~ filter ~ ')' if filter else ''),
        cxux_metric_grouping_sets(grains, dimensions, crossings) | length) if percentile else none %}
{%- if percentile_strategy == 'aggregate' %}
    {%- set aggregates = [cxux_percentile('measure_value', percentile['fraction'], percentile['method']) ~ ' as measure_percentile',
                          'count(measure_value) as row_count'] %}
{%- endif %}
{%- if percentile_strategy == 'sort' %}

{{ cxux_metric_percentile_aggregated(grains, dimensions, crossings, aggregated_from, percentile, checksums) }}
{%- elif distinct and definition['unique_within'] %}

{{ cxux_metric_distinct_aggregated(grains, dimensions, crossings, aggregated_from, distinct, definition['unique_within'], checksums) }}
{%- else %}

aggregated as (

    select
        {{ cxux_metric_grouped_period(grains) }}
        {{ cxux_metric_slice_columns(dimensions, crossings) }}
        {{ aggregates | join(',\n        ') }}
        {%- if checksums %},
        sum(row_checksum) as source_checksum
        {%- endif %}
    from {{ aggregated_from }}
    group by grouping sets (
        {{ cxux_metric_grouping_sets(grains, dimensions, crossings) | join(',\n        ') }}
    )

),
{%- endif %}

slice_values as (

    select
        grain,
        period_start,
        dimension_name,
        dimension_value,
        {{ computed | join(',\n        ') }}
        {%- if checksums %},
        source_checksum
        {%- endif %}
    from aggregated
    {%- if feed_run or incremental_run %}
    {#- kept: the slices the feed changed, or the periods whose checksum moved #}
    {%- set kept = 'recomputed' if feed_run else 'changed_periods' %}
    {%- set keys = ['grain', 'period_start', 'dimension_name', 'dimension_value'] if feed_run else ['grain', 'period_start'] %}
    where exists (
        select 1
        from {{ kept }}
        where {% for key in keys %}{{ kept }}.{{ key }} = aggregated.{{ key }}{{ '\n            and ' if not loop.last }}{% endfor %}
    )
    {%- endif %}

),

{%- if definition['share_of_total'] %}
{#- share_of_total (count, count_distinct, sum): each slice's aggregate over the
    total's of the same grain and period; the total row is 1. No interval. -#}
computed as (

    select
        slice_values.grain,
        slice_values.period_start,
        slice_values.dimension_name,
        slice_values.dimension_value,
        {{ cxux_metric_computed(
            cxux_double('slice_values.value') ~ ' / nullif(' ~ cxux_double('total_values.value') ~ ', 0)',
            'total_values.sample_size', 'slice_values.value', 'total_values.value') | join(',\n        ') }}
        {%- if checksums %},
        slice_values.source_checksum
        {%- endif %}
    from slice_values
    inner join slice_values as total_values
        on total_values.grain = slice_values.grain
        and total_values.period_start = slice_values.period_start
        and total_values.dimension_name = 'total'

),
{%- else %}
computed as (

    select * from slice_values

),
{%- endif %}

{{ cxux_metric_finalize(definition, checksum=checksums) }}
{%- endmacro %}

{#- The rows a metric aggregates: one per source row that has a time and passes the
    filter, with each grain's period start (period__<grain>), each dimension's slice
    value (dimension__<name>), the type's columns, and row_weight (1 a fact row; a
    change feed's sign, cxux_metric_feed.sql). -#}
{% macro cxux_metric_filtered(definition, columns, source, row_weight='1', where=none) -%}
    {%- set time = definition['time'] -%}
    {%- set filter = definition['filter'] -%}
    select
        {%- for grain in cxux_metric_grains(definition) %}
        {{ cxux_period_start(grain, time) }} as period__{{ grain }},
        {%- endfor %}
        {%- for dimension in cxux_metric_dimensions(definition) %}
        {{ cxux_metric_slice_value(dimension['expression']) }} as dimension__{{ dimension['name'] }},
        {%- endfor %}
        {%- for alias, expression in columns %}
        {{ expression }} as {{ alias }},
        {%- endfor %}
        {{ row_weight }} as row_weight
    from {{ source }}
    where {{ time }} is not null
    {%- if filter %}
        and ({{ filter }})
    {%- endif %}
    {%- if where %}
        and ({{ where }})
    {%- endif %}
{%- endmacro %}

{#- A typed, empty metric_values relation (metric_values with no definitions): its
    columns and data types from the model's contract (_metrics__models.yml). -#}
{% macro cxux_metric_values_empty() -%}
    select
        {%- for column in model['columns'].values() %}
        cast(null as {{ column['data_type'] }}) as {{ column['name'] }}{{ ',' if not loop.last }}
        {%- endfor %}
    where 1 = 0
{%- endmacro %}

{#- Monthly scorecard of a domain: one row per month, one column per metric of
    the domain that has a month grain (total slice), deprecated metrics left out,
    and share_of_total metrics too (their total is always 1: the shares live in
    the slices). Columns are named after the metric and ordered by name; beside
    each value its status, target and thresholds (<name>__status, __target,
    __warning_threshold, __critical_threshold), so a status is never read without
    them. is_complete_period: the month is over at the build's as-of. -#}
{% macro cxux_metric_scorecard(domain) -%}
    {#- which metrics: `cxux metrics compile` decides (compiler.scorecard_metrics) and writes
        the scorecard's columns and contract from the same list -#}
    {%- set lists = context['cxux_metric_scorecard_metrics']() if context.get('cxux_metric_scorecard_metrics') is not none else {} -%}
    {%- set metrics = lists.get(domain, []) -%}
with metric_values as (

    select * from {{ ref('metric_values') }}

),

monthly_totals as (

    select
        metric_name,
        period_start,
        period_end,
        is_complete_period,
        value,
        status,
        target,
        warning_threshold,
        critical_threshold
    from metric_values
    where grain = 'month'
        and dimension_name = 'total'
        and metric_name in ('{{ metrics | join("', '") }}')

),

final as (

    select
        period_start as month_start,
        max(period_end) as month_end,
        {#- every metric's month ends together: any row tells -#}
        {{ cxux_bool_or('is_complete_period') }} as is_complete_period
        {%- for name in metrics %},
        max(case when metric_name = '{{ name }}' then value end) as {{ name }},
        max(case when metric_name = '{{ name }}' then status end) as {{ name }}__status,
        max(case when metric_name = '{{ name }}' then target end) as {{ name }}__target,
        max(case when metric_name = '{{ name }}' then warning_threshold end) as {{ name }}__warning_threshold,
        max(case when metric_name = '{{ name }}' then critical_threshold end) as {{ name }}__critical_threshold
        {%- endfor %}
    from monthly_totals
    group by period_start

)

select * from final
{%- endmacro %}

{#- The grouping sets of a metric: each grain alone (the total), each grain with
    each dimension, each grain with each declared crossing; `extra` columns are
    added to every set. -#}
{% macro cxux_metric_grouping_sets(grains, dimensions, crossings, extra=[]) -%}
    {%- set sets = [] -%}
    {%- for grain in grains -%}
        {%- set groups = [[]] -%}
        {%- for dimension in dimensions -%}{%- do groups.append([dimension['name']]) -%}{%- endfor -%}
        {%- for crossing in crossings -%}{%- do groups.append(crossing) -%}{%- endfor -%}
        {%- for names in groups -%}
            {%- set columns = ['period__' ~ grain] -%}
            {%- for name in names -%}{%- do columns.append('dimension__' ~ name) -%}{%- endfor -%}
            {%- do sets.append('(' ~ (columns + extra) | join(', ') ~ ')') -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(sets) }}
{%- endmacro %}

{#- `aggregated` for the order statistics (median, percentile), from counts and a
    sort instead of a percentile aggregate. A percentile aggregate keeps every value
    of every grain x slice in a hash table that cannot spill: at 100M events the
    web-vital p75s ran out of disk and memory (issue 6). Here the rows are first
    counted per slice and distinct value (a hash aggregate, which spills), then a
    running count over the values in order (a sort, which spills) gives each
    value's rank, and the percentile is read off the ranks (cxux_percentile_at_rank).
    Identical values count once per slice, so repeated measures shrink the sort. -#}
{% macro cxux_metric_percentile_aggregated(grains, dimensions, crossings, source, percentile, checksums) -%}
    {%- set slice = 'grain, period_start, dimension_name, dimension_value' -%}
value_counts as (

    select
        {{ cxux_metric_grouped_period(grains) }}
        {{ cxux_metric_slice_columns(dimensions, crossings) }}
        measure_value,
        count(measure_value) as value_count
        {%- if checksums %},
        sum(row_checksum) as source_checksum
        {%- endif %}
    from {{ source }}
    group by grouping sets (
        {{ cxux_metric_grouping_sets(grains, dimensions, crossings, ['measure_value']) | join(',\n        ') }}
    )

),

ranked_values as (

    select
        *,
        sum(value_count) over (
            partition by {{ slice }}
            order by measure_value
            rows between unbounded preceding and current row
        ) as cumulative_count,
        sum(value_count) over (partition by {{ slice }}) as row_count
    from value_counts

),

aggregated as (

    select
        {{ slice }},
        {{ cxux_percentile_at_rank('measure_value', 'cumulative_count', 'row_count', percentile['fraction'], percentile['method']) }} as measure_percentile,
        max(row_count) as row_count
        {%- if checksums %},
        sum(source_checksum) as source_checksum
        {%- endif %}
    from ranked_values
    group by {{ slice }}

),
{%- endmacro %}

{#- `aggregated` for distinct counts whose definition declares unique_within
    ([grain, dimension ...]: the counted column has at most one row per period of
    that grain and value of those dimensions). count(distinct) in grouping sets
    keeps a distinct hash table per set and count: at 100M events
    feature_adoption_rate (88M user x month x feature rows, 18 sets) needed over
    25 GB of spill (issue 6). Here
      covered slices (that grain, all those dimensions): every value is on one
        row of its slice, so count() gives the distinct count;
      other slices: one row per slice and value first (has_<n>: the value passes
        that count's filter), then sum(has_<n>), the distinct count. Those that
        keep none of those dimensions read `collapsed`, the source first reduced
        to one row per period, value and the dimensions they use: the declared
        dimensions are what multiplies the rows (user x month x feature), so their
        per-value hash tables are fed a fraction of the rows.
    Same values; at 100M events 122 s and 7.8 GB of spill (181 s and 15.2 GB
    without `collapsed`). -#}
{% macro cxux_metric_distinct_aggregated(grains, dimensions, crossings, source, distinct, unique_within, checksums) -%}
    {%- set unique_grain = (unique_within | select('in', grains) | list)[0] -%}
    {%- set unique_names = unique_within | reject('in', grains) | list -%}
    {%- set covered = {'grains': [], 'sets': []} -%}
    {%- set other = {'grains': [], 'sets': []} -%}
    {%- set collapsible = {'grains': [], 'sets': []} -%}
    {%- for grain in grains -%}
        {%- set groups = [[]] -%}
        {%- for dimension in dimensions -%}{%- do groups.append([dimension['name']]) -%}{%- endfor -%}
        {%- for crossing in crossings -%}{%- do groups.append(crossing) -%}{%- endfor -%}
        {%- for names in groups -%}
            {%- if grain == unique_grain and (unique_names | reject('in', names) | list | length == 0) -%}
                {%- set part = covered -%}
            {%- elif unique_names and (names | select('in', unique_names) | list | length == 0) -%}
                {%- set part = collapsible -%}
            {%- else -%}
                {%- set part = other -%}
            {%- endif -%}
            {%- if grain not in part['grains'] -%}{%- do part['grains'].append(grain) -%}{%- endif -%}
            {%- do part['sets'].append((grain, names)) -%}
        {%- endfor -%}
    {%- endfor -%}
{%- if collapsible['sets'] %}
{%- set collapsed_columns = [] -%}
{%- for grain in collapsible['grains'] -%}{%- do collapsed_columns.append('period__' ~ grain) -%}{%- endfor -%}
{%- for grain, names in collapsible['sets'] -%}{%- for n in names -%}
    {%- if 'dimension__' ~ n not in collapsed_columns -%}{%- do collapsed_columns.append('dimension__' ~ n) -%}{%- endif -%}
{%- endfor -%}{%- endfor -%}
{%- do collapsed_columns.append(distinct['key']) %}
collapsed as (

    select
        {{ collapsed_columns | join(',\n        ') }},
        {%- for column, alias in distinct['counts'] %}
        max(case when {{ column }} is not null then 1 else 0 end) as has_{{ loop.index }},
        {%- endfor %}
        {{ distinct['rows'][0] }} as {{ distinct['rows'][1] }}
        {%- if checksums %},
        sum(row_checksum) as row_checksum
        {%- endif %}
    from {{ source }}
    group by {{ collapsed_columns | join(', ') }}

),
{%- endif %}
{%- for name, part in [('covered', covered), ('per_value', other), ('per_value_collapsed', collapsible)] if part['sets'] %}
{%- set names_used = [] -%}
{%- for grain, names in part['sets'] -%}{%- for n in names -%}{%- if n not in names_used -%}{%- do names_used.append(n) -%}{%- endif -%}{%- endfor -%}{%- endfor -%}
{%- set part_dimensions = dimensions | selectattr('name', 'in', names_used) | list -%}
{%- set part_crossings = [] -%}
{%- for grain, names in part['sets'] -%}{%- if names | length > 1 and names not in part_crossings -%}{%- do part_crossings.append(names) -%}{%- endif -%}{%- endfor -%}
{%- set sets = [] -%}
{%- for grain, names in part['sets'] -%}
    {%- set columns = ['period__' ~ grain] -%}
    {%- for n in names -%}{%- do columns.append('dimension__' ~ n) -%}{%- endfor -%}
    {%- if name != 'covered' -%}{%- do columns.append(distinct['key']) -%}{%- endif -%}
    {%- do sets.append('(' ~ columns | join(', ') ~ ')') -%}
{%- endfor %}
{{ name }} as (

    select
        {{ cxux_metric_grouped_period(part['grains']) }}
        {{ cxux_metric_slice_columns(part_dimensions, part_crossings) }}
        {%- for column, alias in distinct['counts'] %}
        {%- if name == 'covered' %}
        count({{ column }}) as {{ alias }},
        {%- elif name == 'per_value' %}
        max(case when {{ column }} is not null then 1 else 0 end) as has_{{ loop.index }},
        {%- else %}
        max(has_{{ loop.index }}) as has_{{ loop.index }},
        {%- endif %}
        {%- endfor %}
        {{ 'sum(' ~ distinct['rows'][1] ~ ')' if name == 'per_value_collapsed' else distinct['rows'][0] }} as {{ distinct['rows'][1] }}
        {%- if checksums %},
        sum(row_checksum) as source_checksum
        {%- endif %}
    from {{ 'collapsed' if name == 'per_value_collapsed' else source }}
    group by grouping sets (
        {{ sets | join(',\n        ') }}
    )

),
{%- endfor %}

aggregated as (
    {%- if covered['sets'] %}

    select * from covered
    {%- endif %}
    {%- if covered['sets'] and (other['sets'] or collapsible['sets']) %}

    union all
    {%- endif %}
    {%- if other['sets'] or collapsible['sets'] %}

    select
        grain,
        period_start,
        dimension_name,
        dimension_value,
        {%- for column, alias in distinct['counts'] %}
        sum(has_{{ loop.index }}) as {{ alias }},
        {%- endfor %}
        sum({{ distinct['rows'][1] }}) as {{ distinct['rows'][1] }}
        {%- if checksums %},
        sum(source_checksum) as source_checksum
        {%- endif %}
    from (
        {%- for name, part in [('per_value', other), ('per_value_collapsed', collapsible)] if part['sets'] %}
        {{ 'union all ' if not loop.first }}select * from {{ name }}
        {%- endfor %}
    ) as per_value_sets
    group by grain, period_start, dimension_name, dimension_value
    {%- endif %}

),
{%- endmacro %}

{#- dimension_name and dimension_value of a grouping-sets row: the dimension
    (or crossing) grouped in this set, or 'total'. Null dimension values were made
    the NULL slice's value (cxux_metric_null_value) before grouping, so grouping() alone tells the sets apart. Crossings
    are tested first, longest first: a set matches the first listed slice all of
    whose dimensions it groups, which is the set itself. A crossing's name is its
    sorted names joined by '|', its value the values in the same order. -#}
{#- grain and period_start of a row grouped by grouping sets over period__<grain>
    columns: grouping() tells which grain's set the row belongs to. -#}
{% macro cxux_metric_grouped_period(grains) -%}
        case
            {%- for grain in grains %}
            when grouping(period__{{ grain }}) = 0 then '{{ grain }}'
            {%- endfor %}
        end as grain,
        case
            {%- for grain in grains %}
            when grouping(period__{{ grain }}) = 0 then period__{{ grain }}
            {%- endfor %}
        end as period_start,
{%- endmacro %}

{% macro cxux_metric_slice_columns(dimensions, crossings=[]) -%}
    {%- if dimensions | length == 0 -%}
        'total' as dimension_name,
        'total' as dimension_value,
    {%- else -%}
        {%- set slices = [] -%}
        {%- for size in range(dimensions | length, 1, -1) -%}
            {%- for crossing in crossings if crossing | length == size -%}
                {%- do slices.append(crossing) -%}
            {%- endfor -%}
        {%- endfor -%}
        {%- for dimension in dimensions -%}
            {%- do slices.append([dimension['name']]) -%}
        {%- endfor -%}
        case
            {%- for names in slices %}
            when {% for name in names %}grouping(dimension__{{ name }}) = 0{{ ' and ' if not loop.last }}{% endfor %} then '{{ names | join('|') }}'
            {%- endfor %}
            else 'total'
        end as dimension_name,
        case
            {%- for names in slices %}
            {%- set parts = [] -%}
            {%- for name in names -%}
                {%- do parts.append('dimension__' ~ name) -%}
                {%- if not loop.last -%}{%- do parts.append("'|'") -%}{%- endif -%}
            {%- endfor %}
            when {% for name in names %}grouping(dimension__{{ name }}) = 0{{ ' and ' if not loop.last }}{% endfor %} then {{ parts[0] if parts | length == 1 else dbt.concat(parts) }}
            {%- endfor %}
            else 'total'
        end as dimension_value,
    {%- endif -%}
{%- endmacro %}

{#- true when the (boolean) expression is true on any row of the group, on every
    engine (bool_or is not in Spark 3.0 or every warehouse): max over 1/0. -#}
{% macro cxux_bool_or(expression) -%}
    max(case when {{ expression }} then 1 else 0 end) = 1
{%- endmacro %}
