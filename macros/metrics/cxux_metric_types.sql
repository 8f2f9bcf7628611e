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

{#- The declared interval method (`interval`), checked against the type's options;
    'none' turns the interval off (ci_lower/ci_upper null, ci_method 'none'). -#}
{% macro cxux_metric_interval(definition, allowed) -%}
    {%- set method = cxux_metric_param(definition, ['interval', 'ci_method', 'interval_method'], allowed[0]) -%}
    {%- if method not in allowed + ['none'] -%}
        {%- set options = (allowed + ['none']) | join(', ') -%}
        {{ exceptions.raise_compiler_error("cxux: metric '" ~ definition['name'] ~ "': interval must be one of " ~ options ~ ", not '" ~ method ~ "'") }}
    {%- endif -%}
    {{ return(method) }}
{%- endmacro %}

{% macro cxux_metric_measure(definition) -%}
    {{ return(cxux_metric_required(definition, ['measure', 'column', 'expression'])) }}
{%- endmacro %}

{#- count: rows (or rows with a non-null measure when one is declared). -#}
{% macro cxux_metric_count(definition) -%}
    {{ return(adapter.dispatch('cxux_metric_count', 'cxux')(definition)) }}
{%- endmacro %}
{% macro default__cxux_metric_count(definition) -%}
    {%- set measure = cxux_metric_param(definition, ['measure', 'column']) -%}
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
        [('measure_value', cxux_metric_measure(definition))],
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
    {{ cxux_metric_aggregate(definition,
        [('measure_value', cxux_double(cxux_metric_measure(definition)))],
        ['sum(measure_value) as measure_sum', 'count(measure_value) as row_count'],
        cxux_metric_computed('measure_sum', 'row_count', 'measure_sum')) }}
{%- endmacro %}

{#- average: mean +- t(conf, n - 1) * sd / sqrt(n). numerator = sum, denominator = n. -#}
{% macro cxux_metric_average(definition) -%}
    {{ return(adapter.dispatch('cxux_metric_average', 'cxux')(definition)) }}
{%- endmacro %}
{% macro default__cxux_metric_average(definition) -%}
    {%- set confidence = cxux_metric_param(definition, 'confidence', 0.95) -%}
    {%- set method = cxux_metric_interval(definition, ['t']) -%}
    {{ cxux_metric_aggregate(definition,
        [('measure_value', cxux_double(cxux_metric_measure(definition)))],
        ['avg(measure_value) as measure_mean', 'stddev_samp(measure_value) as measure_sd',
         'sum(measure_value) as measure_sum', 'count(measure_value) as row_count'],
        cxux_metric_computed('measure_mean', 'row_count', 'measure_sum', 'row_count',
            cxux_t_bound('measure_mean', 'measure_sd', 'row_count', confidence, 'lower') if method == 't' else 'null',
            cxux_t_bound('measure_mean', 'measure_sd', 'row_count', confidence, 'upper') if method == 't' else 'null',
            method)) }}
{%- endmacro %}

{#- median and percentile: no interval (ci_method 'none'); computed from ranks
    (cxux_metric_percentile_aggregated), not a percentile aggregate. -#}
{% macro cxux_metric_percentile_fraction(definition, default=none) -%}
    {%- set p = cxux_metric_param(definition, ['percentile', 'quantile', 'p', 'fraction'], default) -%}
    {%- if p is none -%}
        {{ exceptions.raise_compiler_error("cxux: metric '" ~ definition['name'] ~ "' needs `percentile`") }}
    {%- endif -%}
    {#- 90 and 0.9 both mean the 90th percentile -#}
    {{ return(p / 100.0 if p > 1 else p) }}
{%- endmacro %}

{% macro cxux_metric_percentile_method(definition) -%}
    {%- set method = cxux_metric_param(definition, ['method', 'percentile_method', 'interpolation'], 'continuous') -%}
    {{ return({'cont': 'continuous', 'disc': 'discrete', 'linear': 'continuous', 'nearest_rank': 'discrete'}.get(method, method)) }}
{%- endmacro %}

{% macro cxux_metric_median(definition) -%}
    {{ return(adapter.dispatch('cxux_metric_median', 'cxux')(definition)) }}
{%- endmacro %}
{% macro default__cxux_metric_median(definition) -%}
    {{ cxux_metric_aggregate(definition,
        [('measure_value', cxux_double(cxux_metric_measure(definition)))],
        [], cxux_metric_computed('measure_percentile', 'row_count'),
        percentile={'fraction': 0.5, 'method': cxux_metric_percentile_method(definition)}) }}
{%- endmacro %}

{% macro cxux_metric_percentile(definition) -%}
    {{ return(adapter.dispatch('cxux_metric_percentile', 'cxux')(definition)) }}
{%- endmacro %}
{% macro default__cxux_metric_percentile(definition) -%}
    {{ cxux_metric_aggregate(definition,
        [('measure_value', cxux_double(cxux_metric_measure(definition)))],
        [], cxux_metric_computed('measure_percentile', 'row_count'),
        percentile={'fraction': cxux_metric_percentile_fraction(definition), 'method': cxux_metric_percentile_method(definition)}) }}
{%- endmacro %}

{#- geometric_mean: exp(avg(ln x)) over x > 0 (non-positive values are excluded
    and not counted); interval on the log scale, back-transformed:
    exp(mean_log +- t(conf, n - 1) * sd_log / sqrt(n)). -#}
{% macro cxux_metric_geometric_mean(definition) -%}
    {{ return(adapter.dispatch('cxux_metric_geometric_mean', 'cxux')(definition)) }}
{%- endmacro %}
{% macro default__cxux_metric_geometric_mean(definition) -%}
    {%- set confidence = cxux_metric_param(definition, 'confidence', 0.95) -%}
    {%- set method = cxux_metric_interval(definition, ['log_t']) -%}
    {%- set measure = cxux_double(cxux_metric_measure(definition)) -%}
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
    {%- set confidence = cxux_metric_param(definition, 'confidence', 0.95) -%}
    {%- set method = cxux_metric_interval(definition, ['wilson', 'adjusted_wald']) -%}
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
    {%- set condition = cxux_metric_required(definition, ['condition', 'numerator_condition', 'numerator']) -%}
    {{ cxux_metric_share(definition, [('hit', 'case when ' ~ condition ~ ' then 1 else 0 end')]) }}
{%- endmacro %}

{#- top_box: share of answers at or above `cut` among answers on the declared
    scale [min, max]; answers off the scale or null are not counted. -#}
{% macro cxux_metric_scale(definition, default_min, default_max) -%}
    {%- set scale = cxux_metric_param(definition, 'scale', {}) -%}
    {%- if scale is sequence and scale is not mapping and scale is not string -%}
        {{ return({'min': scale[0], 'max': scale[1]}) }}
    {%- endif -%}
    {{ return({'min': scale.get('min', cxux_metric_param(definition, 'scale_min', default_min)),
               'max': scale.get('max', cxux_metric_param(definition, 'scale_max', default_max))}) }}
{%- endmacro %}

{% macro cxux_metric_top_box(definition) -%}
    {{ return(adapter.dispatch('cxux_metric_top_box', 'cxux')(definition)) }}
{%- endmacro %}
{% macro default__cxux_metric_top_box(definition) -%}
    {%- set measure = cxux_metric_measure(definition) -%}
    {%- set scale = cxux_metric_scale(definition, none, none) -%}
    {%- set cut = cxux_metric_required(definition, ['cut', 'top_box_min', 'threshold', 'min_score', 'top']) -%}
    {%- set on_scale = measure ~ ' is not null' ~ (' and ' ~ measure ~ ' >= ' ~ scale['min'] if scale['min'] is not none else '') ~ (' and ' ~ measure ~ ' <= ' ~ scale['max'] if scale['max'] is not none else '') -%}
    {{ cxux_metric_share(definition, [('hit', 'case when ' ~ on_scale ~ ' then case when ' ~ measure ~ ' >= ' ~ cut ~ ' then 1 else 0 end end')]) }}
{%- endmacro %}

{#- ratio of two aggregates: numerator and denominator are {agg, measure, filter}
    (agg count, count_distinct, sum or average; measure optional for count; the
    block's filter ANDed with the metric's). Or ratio of two metrics'
    values (numerator_metric / denominator_metric) at the same grain, period and
    slice. Null when the denominator is 0; no interval; sample size = rows. -#}
{% macro cxux_metric_ratio_side(side, alias) -%}
    {%- if side is mapping -%}
        {%- set aggregation = side.get('agg') or side.get('aggregation') or 'sum' -%}
        {%- set measure = side.get('measure') or '1' -%}
        {%- set condition = side.get('filter') or side.get('condition') -%}
    {%- else -%}
        {%- set aggregation, measure, condition = 'sum', side, none -%}
    {%- endif -%}
    {%- set column = ('case when ' ~ condition ~ ' then ' ~ measure ~ ' end') if condition else measure -%}
    {%- if aggregation == 'count_distinct' -%}
        {{ return([(alias, column), 'count(distinct ' ~ alias ~ ') as ' ~ alias ~ '_aggregate']) }}
    {%- elif aggregation == 'count' -%}
        {{ return([(alias, column), 'count(' ~ alias ~ ') as ' ~ alias ~ '_aggregate']) }}
    {%- elif aggregation in ['sum', 'average', 'avg'] -%}
        {{ return([(alias, cxux_double(column)), ('sum' if aggregation == 'sum' else 'avg') ~ '(' ~ alias ~ ') as ' ~ alias ~ '_aggregate']) }}
    {%- else -%}
        {{ exceptions.raise_compiler_error("cxux: ratio agg must be count, count_distinct, sum or average, not '" ~ aggregation ~ "'") }}
    {%- endif -%}
{%- endmacro %}

{% macro cxux_metric_ratio(definition) -%}
    {{ return(adapter.dispatch('cxux_metric_ratio', 'cxux')(definition)) }}
{%- endmacro %}
{% macro default__cxux_metric_ratio(definition) -%}
    {%- if cxux_metric_param(definition, 'numerator_metric') -%}
        {{ cxux_metric_ratio_of_metrics(definition) }}
    {%- else -%}
    {%- set numerator = cxux_metric_ratio_side(cxux_metric_required(definition, 'numerator'), 'numerator_value') -%}
    {%- set denominator = cxux_metric_ratio_side(cxux_metric_required(definition, 'denominator'), 'denominator_value') -%}
    {#- unique_within (validated: both sides count distinct values of one measure):
        distinct_key is that measure unfiltered, what the two-step count groups by -#}
    {%- set distinct = none -%}
    {%- if definition.get('unique_within') -%}
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
    {%- set confidence = cxux_metric_param(definition, 'confidence', 0.95) -%}
    {%- set method = cxux_metric_interval(definition, ['rocks', 'adjusted_wald']) -%}
    {%- set measure = cxux_metric_measure(definition) -%}
    {%- set scale = cxux_metric_scale(definition, 0, 10) -%}
    {%- set promoter_min = cxux_metric_param(definition, ['promoter_min', 'promoters_min', 'promoter_cut'], 9) -%}
    {%- set detractor_max = cxux_metric_param(definition, ['detractor_max', 'detractors_max', 'detractor_cut'], 6) -%}
    {%- set on_scale = measure ~ ' >= ' ~ scale['min'] ~ ' and ' ~ measure ~ ' <= ' ~ scale['max'] -%}
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
    {%- set measure = cxux_double(cxux_metric_measure(definition)) -%}
    {%- set t = cxux_metric_required(definition, ['apdex_t', 'threshold_t', 't', 'target_time', 'threshold']) -%}
    {{ cxux_metric_aggregate(definition,
        [('response_time', measure)],
        ['sum(case when response_time <= ' ~ t ~ ' then 1.0 when response_time <= ' ~ 4 * t ~ ' then 0.5 else 0.0 end) as apdex_points',
         'count(response_time) as row_count'],
        cxux_metric_computed(cxux_double('apdex_points') ~ ' / ' ~ cxux_double('nullif(row_count, 0)'),
            'row_count', 'apdex_points', 'row_count')) }}
{%- endmacro %}
