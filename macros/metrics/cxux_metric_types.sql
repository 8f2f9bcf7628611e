{#- One macro per metric type (dispatched: cxux_metric_<type>, default__ here).
    The aggregating types only say which per-row columns, aggregates and final
    expressions they need; cxux_metric_aggregate does grains, slices and judgement. -#}

{% macro cxux_metric_computed(value, sample_size, numerator='null', denominator='null', ci_lower='null', ci_upper='null', ci_method=none) -%}
    {{ return([
        value ~ ' as value',
        numerator ~ ' as numerator',
        denominator ~ ' as denominator',
        sample_size ~ ' as sample_size',
        ci_lower ~ ' as ci_lower',
        ci_upper ~ ' as ci_upper',
        "'" ~ (ci_method or 'none') ~ "' as ci_method",
    ]) }}
{%- endmacro %}

{#- The normalized definition's interval method ('none': no interval, ci_lower and
    ci_upper null). The validator allows only the type's methods. -#}
{% macro cxux_metric_interval(definition) -%}
    {{ return(definition['interval']) }}
{%- endmacro %}

{#- count: rows (or rows with a non-null measure when one is declared). -#}
{% macro cxux_metric_count(definition) -%}
    {{ return(adapter.dispatch('cxux_metric_count', 'cxux')(definition)) }}
{%- endmacro %}
{% macro default__cxux_metric_count(definition) -%}
    {%- set measure = definition['measure'] -%}
    {{ cxux_metric_aggregate(definition,
        [('measure_value', measure if measure else '1')],
        ['count(measure_value) as row_count'],
        cxux_metric_computed('row_count', 'row_count', 'row_count')) }}
{%- endmacro %}

{#- count_distinct: distinct non-null values; sample size = rows with a value. -#}
{% macro cxux_metric_count_distinct(definition) -%}
    {{ return(adapter.dispatch('cxux_metric_count_distinct', 'cxux')(definition)) }}
{%- endmacro %}
{% macro default__cxux_metric_count_distinct(definition) -%}
    {{ cxux_metric_aggregate(definition,
        [('measure_value', definition['measure'])],
        ['count(distinct measure_value) as distinct_count', 'count(measure_value) as row_count'],
        cxux_metric_computed('distinct_count', 'row_count', 'distinct_count'),
        distinct={'key': 'measure_value', 'counts': [('measure_value', 'distinct_count')],
                  'rows': ('count(measure_value)', 'row_count')}) }}
{%- endmacro %}

{#- sum: no interval (a total, not an estimate). -#}
{% macro cxux_metric_sum(definition) -%}
    {{ return(adapter.dispatch('cxux_metric_sum', 'cxux')(definition)) }}
{%- endmacro %}
{% macro default__cxux_metric_sum(definition) -%}
    {#- summed in the measure's own type: exact for integers and decimals (money),
        so the total, and its status at a threshold, do not depend on the order a
        parallel engine adds rows in; cast to double afterwards (docs/metrics_spec.md) -#}
    {{ cxux_metric_aggregate(definition,
        [('measure_value', definition['measure'])],
        ['sum(measure_value) as measure_sum', 'count(measure_value) as row_count'],
        cxux_metric_computed(cxux_double('measure_sum'), 'row_count', cxux_double('measure_sum'))) }}
{%- endmacro %}

{#- average: mean +- t(conf, n - 1) * sd / sqrt(n). numerator = sum, denominator = n. -#}
{% macro cxux_metric_average(definition) -%}
    {{ return(adapter.dispatch('cxux_metric_average', 'cxux')(definition)) }}
{%- endmacro %}
{% macro default__cxux_metric_average(definition) -%}
    {%- set confidence = definition['confidence'] -%}
    {%- set method = cxux_metric_interval(definition) -%}
    {#- mean and sum in the measure's own type (exact for integers and decimals, as
        for sum); the spread, only used for the interval, in double -#}
    {{ cxux_metric_aggregate(definition,
        [('measure_value', definition['measure'])],
        ['avg(measure_value) as measure_mean_exact', 'stddev_samp(' ~ cxux_double('measure_value') ~ ') as measure_sd',
         'sum(measure_value) as measure_sum', 'count(measure_value) as row_count'],
        cxux_metric_computed(cxux_double('measure_mean_exact'), 'row_count', cxux_double('measure_sum'), 'row_count',
            cxux_t_bound(cxux_double('measure_mean_exact'), 'measure_sd', 'row_count', confidence, 'lower') if method == 't' else 'null',
            cxux_t_bound(cxux_double('measure_mean_exact'), 'measure_sd', 'row_count', confidence, 'upper') if method == 't' else 'null',
            method)) }}
{%- endmacro %}

{#- median and percentile: no interval (ci_method 'none'); computed from ranks
    (cxux_metric_percentile_aggregated), not a percentile aggregate. -#}
{% macro cxux_metric_median(definition) -%}
    {{ return(adapter.dispatch('cxux_metric_median', 'cxux')(definition)) }}
{%- endmacro %}
{% macro default__cxux_metric_median(definition) -%}
    {{ cxux_metric_aggregate(definition,
        [('measure_value', cxux_double(definition['measure']))],
        [], cxux_metric_computed('measure_percentile', 'row_count'),
        percentile={'fraction': definition['percentile'], 'method': definition['method']}) }}
{%- endmacro %}

{% macro cxux_metric_percentile(definition) -%}
    {{ return(adapter.dispatch('cxux_metric_percentile', 'cxux')(definition)) }}
{%- endmacro %}
{% macro default__cxux_metric_percentile(definition) -%}
    {{ cxux_metric_aggregate(definition,
        [('measure_value', cxux_double(definition['measure']))],
        [], cxux_metric_computed('measure_percentile', 'row_count'),
        percentile={'fraction': definition['percentile'], 'method': definition['method']}) }}
{%- endmacro %}

{#- geometric_mean: exp(avg(ln x)) over x > 0 (non-positive values are excluded
    and not counted); interval on the log scale, back-transformed:
    exp(mean_log +- t(conf, n - 1) * sd_log / sqrt(n)). -#}
{% macro cxux_metric_geometric_mean(definition) -%}
    {{ return(adapter.dispatch('cxux_metric_geometric_mean', 'cxux')(definition)) }}
{%- endmacro %}
{% macro default__cxux_metric_geometric_mean(definition) -%}
    {%- set confidence = definition['confidence'] -%}
    {%- set method = cxux_metric_interval(definition) -%}
    {%- set measure = cxux_double(definition['measure']) -%}
    {{ cxux_metric_aggregate(definition,
        [('log_value', 'case when ' ~ measure ~ ' > 0 then ln(' ~ measure ~ ') end')],
        ['avg(log_value) as log_mean', 'stddev_samp(log_value) as log_sd', 'count(log_value) as row_count'],
        cxux_metric_computed('exp(log_mean)', 'row_count', 'null', 'row_count',
            'exp(' ~ cxux_t_bound('log_mean', 'log_sd', 'row_count', confidence, 'lower') ~ ')' if method == 'log_t' else 'null',
            'exp(' ~ cxux_t_bound('log_mean', 'log_sd', 'row_count', confidence, 'upper') ~ ')' if method == 'log_t' else 'null',
            method)) }}
{%- endmacro %}

{#- Shared by proportion and top_box: value = hits / n with a Wilson (default) or
    adjusted-Wald interval. -#}
{% macro cxux_metric_share(definition, columns) -%}
    {%- set confidence = definition['confidence'] -%}
    {%- set method = cxux_metric_interval(definition) -%}
    {{ return(cxux_metric_aggregate(definition, columns,
        ['sum(hit) as hit_count', 'count(hit) as row_count'],
        cxux_metric_computed(cxux_double('hit_count') ~ ' / ' ~ cxux_double('nullif(row_count, 0)'), 'row_count', 'hit_count', 'row_count',
            cxux_proportion_bound(method, 'hit_count', 'row_count', confidence, 'lower') if method != 'none' else 'null',
            cxux_proportion_bound(method, 'hit_count', 'row_count', confidence, 'upper') if method != 'none' else 'null',
            method))) }}
{%- endmacro %}

{#- proportion: share of rows meeting `condition` (rows where it is null count as not meeting it). -#}
{% macro cxux_metric_proportion(definition) -%}
    {{ return(adapter.dispatch('cxux_metric_proportion', 'cxux')(definition)) }}
{%- endmacro %}
{% macro default__cxux_metric_proportion(definition) -%}
    {%- set condition = definition['condition'] -%}
    {{ cxux_metric_share(definition, [('hit', 'case when ' ~ condition ~ ' then 1 else 0 end')]) }}
{%- endmacro %}

{#- top_box: share of answers at or above `cut` among answers on the declared
    scale [min, max]; answers off the scale or null are not counted. -#}
{% macro cxux_metric_top_box(definition) -%}
    {{ return(adapter.dispatch('cxux_metric_top_box', 'cxux')(definition)) }}
{%- endmacro %}
{% macro default__cxux_metric_top_box(definition) -%}
    {%- set measure = definition['measure'] -%}
    {%- set cut = definition['cut'] -%}
    {%- set on_scale = measure ~ ' >= ' ~ definition['scale'][0] ~ ' and ' ~ measure ~ ' <= ' ~ definition['scale'][1] -%}
    {{ cxux_metric_share(definition, [('hit', 'case when ' ~ on_scale ~ ' then case when ' ~ measure ~ ' >= ' ~ cut ~ ' then 1 else 0 end end')]) }}
{%- endmacro %}

{#- ratio of two aggregates: numerator and denominator are {agg, measure, filter}
    (agg count, count_distinct, sum or average; measure optional for count; the
    block's filter ANDed with the metric's). Or ratio of two metrics'
    values (numerator_metric / denominator_metric) at the same grain, period and
    slice. Null when the denominator is 0; no interval; sample size = rows. -#}
{% macro cxux_metric_ratio_side(side, alias) -%}
    {#- side: the normalized {agg, measure, filter}; measure is null only for count -#}
    {%- set aggregation = side['agg'] -%}
    {%- set measure = side['measure'] or '1' -%}
    {%- set condition = side['filter'] -%}
    {%- set column = ('case when ' ~ condition ~ ' then ' ~ measure ~ ' end') if condition else measure -%}
    {%- if aggregation == 'count_distinct' -%}
        {{ return([(alias, column), 'count(distinct ' ~ alias ~ ') as ' ~ alias ~ '_aggregate']) }}
    {%- elif aggregation == 'count' -%}
        {{ return([(alias, column), 'count(' ~ alias ~ ') as ' ~ alias ~ '_aggregate']) }}
    {%- else -%}
        {#- sum or average, in the measure's own type (exact for integers and decimals,
            see cxux_metric_sum); the ratio casts the aggregates to double -#}
        {{ return([(alias, column), ('sum' if aggregation == 'sum' else 'avg') ~ '(' ~ alias ~ ') as ' ~ alias ~ '_aggregate']) }}
    {%- endif -%}
{%- endmacro %}

{% macro cxux_metric_ratio(definition) -%}
    {{ return(adapter.dispatch('cxux_metric_ratio', 'cxux')(definition)) }}
{%- endmacro %}
{% macro default__cxux_metric_ratio(definition) -%}
    {%- if definition['numerator_metric'] -%}
        {{ cxux_metric_ratio_of_metrics(definition) }}
    {%- else -%}
    {%- set numerator = cxux_metric_ratio_side(definition['numerator'], 'numerator_value') -%}
    {%- set denominator = cxux_metric_ratio_side(definition['denominator'], 'denominator_value') -%}
    {#- unique_within (validated: both sides count distinct values of one measure):
        distinct_key is that measure unfiltered, what the two-step count groups by -#}
    {%- set distinct = none -%}
    {%- if definition['unique_within'] -%}
        {%- set distinct = {'key': 'distinct_key',
                            'counts': [('numerator_value', 'numerator_value_aggregate'),
                                       ('denominator_value', 'denominator_value_aggregate')],
                            'rows': ('count(*)', 'row_count')} -%}
    {%- endif %}
    {{ cxux_metric_aggregate(definition,
        [numerator[0], denominator[0]] + ([('distinct_key', definition['numerator']['measure'])] if distinct else []),
        [numerator[1], denominator[1], 'count(*) as row_count'],
        cxux_metric_computed(cxux_double('numerator_value_aggregate') ~ ' / ' ~ cxux_double('nullif(denominator_value_aggregate, 0)'),
            'row_count', 'numerator_value_aggregate', 'denominator_value_aggregate'),
        distinct=distinct) }}
    {%- endif -%}
{%- endmacro %}

{#- nps: 100 * (promoters - detractors) / n, passives in n; answers off the scale
    are not counted. numerator = promoters - detractors, denominator = n.
    Interval: rocks (default, Rocks 2016) or adjusted_wald (declared). -#}
{% macro cxux_metric_nps(definition) -%}
    {{ return(adapter.dispatch('cxux_metric_nps', 'cxux')(definition)) }}
{%- endmacro %}
{% macro default__cxux_metric_nps(definition) -%}
    {%- set confidence = definition['confidence'] -%}
    {%- set method = cxux_metric_interval(definition) -%}
    {%- set measure = definition['measure'] -%}
    {%- set promoter_min = definition['promoter_min'] -%}
    {%- set detractor_max = definition['detractor_max'] -%}
    {%- set on_scale = measure ~ ' >= ' ~ definition['scale'][0] ~ ' and ' ~ measure ~ ' <= ' ~ definition['scale'][1] -%}
    {{ cxux_metric_aggregate(definition,
        [('promoter', 'case when ' ~ on_scale ~ ' then case when ' ~ measure ~ ' >= ' ~ promoter_min ~ ' then 1 else 0 end end'),
         ('detractor', 'case when ' ~ on_scale ~ ' then case when ' ~ measure ~ ' <= ' ~ detractor_max ~ ' then 1 else 0 end end')],
        ['sum(promoter) as promoter_count', 'sum(detractor) as detractor_count', 'count(promoter) as row_count'],
        cxux_metric_computed('100 * ' ~ cxux_double('promoter_count - detractor_count') ~ ' / ' ~ cxux_double('nullif(row_count, 0)'),
            'row_count', 'promoter_count - detractor_count', 'row_count',
            cxux_nps_bound(method, 'promoter_count', 'detractor_count', 'row_count', confidence, 'lower') if method != 'none' else 'null',
            cxux_nps_bound(method, 'promoter_count', 'detractor_count', 'row_count', confidence, 'upper') if method != 'none' else 'null',
            method)) }}
{%- endmacro %}

{#- apdex: (satisfied + tolerating / 2) / n with satisfied t <= T, tolerating
    T < t <= 4T, frustrated t > 4T. numerator = satisfied + tolerating / 2.
    No interval (Apdex Alliance defines none). -#}
{% macro cxux_metric_apdex(definition) -%}
    {{ return(adapter.dispatch('cxux_metric_apdex', 'cxux')(definition)) }}
{%- endmacro %}
{% macro default__cxux_metric_apdex(definition) -%}
    {%- set measure = cxux_double(definition['measure']) -%}
    {%- set t = definition['t'] -%}
    {{ cxux_metric_aggregate(definition,
        [('response_time', measure)],
        ['sum(case when response_time <= ' ~ t ~ ' then 1.0 when response_time <= ' ~ 4 * t ~ ' then 0.5 else 0.0 end) as apdex_points',
         'count(response_time) as row_count'],
        cxux_metric_computed(cxux_double('apdex_points') ~ ' / ' ~ cxux_double('nullif(row_count, 0)'),
            'row_count', 'apdex_points', 'row_count')) }}
{%- endmacro %}
