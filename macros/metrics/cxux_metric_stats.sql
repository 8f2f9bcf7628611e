{#- Statistics for confidence intervals, in plain SQL arithmetic (sqrt, ln, exp,
    greatest, least work on DuckDB, PostgreSQL and Spark). Every operand is cast
    to double so no engine does integer division or fixed-scale numeric maths. -#}

{% macro cxux_double(expression) -%}
    cast({{ expression }} as {{ cxux_type_double() }})
{%- endmacro %}

{#- Two-sided standard normal quantile z(1 - (1 - confidence) / 2). -#}
{% macro cxux_z_value(confidence) -%}
    {%- set table = {0.8: 1.2815515655, 0.9: 1.6448536270, 0.95: 1.9599639845, 0.98: 2.3263478740, 0.99: 2.5758293035} -%}
    {%- set key = (confidence | float) | round(4) -%}
    {%- if key not in table -%}
        {{ exceptions.raise_compiler_error("cxux: confidence " ~ confidence ~ " is not supported; use one of 0.8, 0.9, 0.95, 0.98, 0.99") }}
    {%- endif -%}
    {{ return(table[key]) }}
{%- endmacro %}

{#- Student t quantile t(1 - (1 - confidence) / 2, df) as a SQL expression of the
    degrees of freedom. SQL has no t distribution: df 1..30 come from a table
    (computed by numerical integration of the t density, equal to published tables
    to 6 decimals); above 30 the Cornish-Fisher expansion of t around z to the
    1/df^4 term (Abramowitz & Stegun 26.7.5), whose error there is below 1e-5.
    Null when df < 1 (a single observation has no spread). -#}
{% macro cxux_t_quantile(confidence, df) -%}
    {%- set tables = {
        0.9: [6.313752, 2.919986, 2.353363, 2.131847, 2.015048, 1.943180, 1.894579, 1.859548, 1.833113, 1.812461, 1.795885, 1.782288, 1.770933, 1.761310, 1.753050, 1.745884, 1.739607, 1.734064, 1.729133, 1.724718, 1.720743, 1.717144, 1.713872, 1.710882, 1.708141, 1.705618, 1.703288, 1.701131, 1.699127, 1.697261],
        0.95: [12.706205, 4.302653, 3.182446, 2.776445, 2.570582, 2.446912, 2.364624, 2.306004, 2.262157, 2.228139, 2.200985, 2.178813, 2.160369, 2.144787, 2.131450, 2.119905, 2.109816, 2.100922, 2.093024, 2.085963, 2.079614, 2.073873, 2.068658, 2.063899, 2.059539, 2.055529, 2.051831, 2.048407, 2.045230, 2.042272],
        0.99: [63.656741, 9.924843, 5.840909, 4.604095, 4.032143, 3.707428, 3.499483, 3.355387, 3.249836, 3.169273, 3.105807, 3.054540, 3.012276, 2.976843, 2.946713, 2.920782, 2.898231, 2.878440, 2.860935, 2.845340, 2.831360, 2.818756, 2.807336, 2.796940, 2.787436, 2.778715, 2.770683, 2.763262, 2.756386, 2.749996],
    } -%}
    {%- set key = (confidence | float) | round(4) -%}
    {%- if key not in tables -%}
        {{ exceptions.raise_compiler_error("cxux: t intervals support confidence 0.9, 0.95 and 0.99, not " ~ confidence) }}
    {%- endif -%}
    {%- set z = cxux_z_value(confidence) -%}
    {%- set v = cxux_double(df) -%}
    case
        when {{ df }} is null or {{ df }} < 1 then null
        {%- for value in tables[key] %}
        when {{ df }} = {{ loop.index }} then {{ value }}
        {%- endfor %}
        else {{ z }}
            + ({{ z ** 3 + z }}) / (4 * {{ v }})
            + ({{ 5 * z ** 5 + 16 * z ** 3 + 3 * z }}) / (96 * {{ v }} * {{ v }})
            + ({{ 3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z }}) / (384 * {{ v }} * {{ v }} * {{ v }})
            + ({{ 79 * z ** 9 + 776 * z ** 7 + 1482 * z ** 5 - 1920 * z ** 3 - 945 * z }}) / (92160 * {{ v }} * {{ v }} * {{ v }} * {{ v }})
    end
{%- endmacro %}

{#- Wilson score interval for x successes out of n (bound: 'lower' or 'upper'):
    (p + z^2/2n -+ z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n). -#}
{% macro cxux_wilson_bound(successes, n, confidence, bound) -%}
    {%- set z = cxux_z_value(confidence) -%}
    {%- set z2 = z * z -%}
    {%- set p = '(' ~ cxux_double(successes) ~ ' / ' ~ cxux_double(n) ~ ')' -%}
    {%- set nn = cxux_double(n) -%}
    {#- clamped: at p = 0 or 1, rounding can put a bound a hair outside [0, 1] -#}
    case when {{ n }} > 0 then least(1.0, greatest(0.0,
        ({{ p }} + {{ z2 }} / (2 * {{ nn }}) {{ '-' if bound == 'lower' else '+' }} {{ z }} * sqrt({{ p }} * (1 - {{ p }}) / {{ nn }} + {{ z2 }} / (4 * {{ nn }} * {{ nn }})))
        / (1 + {{ z2 }} / {{ nn }})
    )) end
{%- endmacro %}

{#- Adjusted-Wald (Agresti-Coull) interval: add z^2/2 successes and z^2 trials,
    then the Wald interval; clipped to [0, 1]. -#}
{% macro cxux_adjusted_wald_bound(successes, n, confidence, bound) -%}
    {%- set z = cxux_z_value(confidence) -%}
    {%- set z2 = z * z -%}
    {%- set nn = '(' ~ cxux_double(n) ~ ' + ' ~ z2 ~ ')' -%}
    {%- set p = '((' ~ cxux_double(successes) ~ ' + ' ~ z2 / 2 ~ ') / ' ~ nn ~ ')' -%}
    case when {{ n }} > 0 then
        {{ 'greatest(0.0, ' if bound == 'lower' else 'least(1.0, ' }}{{ p }} {{ '-' if bound == 'lower' else '+' }} {{ z }} * sqrt({{ p }} * (1 - {{ p }}) / {{ nn }}))
    end
{%- endmacro %}

{% macro cxux_proportion_bound(method, successes, n, confidence, bound) -%}
    {%- if method == 'wilson' -%}
        {{ cxux_wilson_bound(successes, n, confidence, bound) }}
    {%- elif method == 'adjusted_wald' -%}
        {{ cxux_adjusted_wald_bound(successes, n, confidence, bound) }}
    {%- else -%}
        {{ exceptions.raise_compiler_error("cxux: unknown proportion interval '" ~ method ~ "' (wilson or adjusted_wald)") }}
    {%- endif -%}
{%- endmacro %}

{#- NPS interval on the -100..100 scale (Rocks 2016):
    NPS +- z * 100 * sqrt((p + d - (p - d)^2) / n).
    adjusted_wald (MeasuringU): the same after adding 3/4 to promoters and to
    detractors and 3 to n, centred on the adjusted NPS, clipped to [-100, 100]. -#}
{% macro cxux_nps_bound(method, promoters, detractors, n, confidence, bound) -%}
    {%- set z = cxux_z_value(confidence) -%}
    {%- if method in ['rocks', 'wald', 'nps_variance', 'variance'] -%}
        {%- set nn = cxux_double(n) -%}
        {%- set p = '(' ~ cxux_double(promoters) ~ ' / ' ~ nn ~ ')' -%}
        {%- set d = '(' ~ cxux_double(detractors) ~ ' / ' ~ nn ~ ')' -%}
    {%- elif method == 'adjusted_wald' -%}
        {%- set nn = '(' ~ cxux_double(n) ~ ' + 3.0)' -%}
        {%- set p = '((' ~ cxux_double(promoters) ~ ' + 0.75) / ' ~ nn ~ ')' -%}
        {%- set d = '((' ~ cxux_double(detractors) ~ ' + 0.75) / ' ~ nn ~ ')' -%}
    {%- else -%}
        {{ exceptions.raise_compiler_error("cxux: unknown NPS interval '" ~ method ~ "' (rocks or adjusted_wald)") }}
    {%- endif -%}
    case when {{ n }} > 0 then
        {{ 'greatest(-100.0, ' if bound == 'lower' else 'least(100.0, ' }}100 * ({{ p }} - {{ d }}) {{ '-' if bound == 'lower' else '+' }} {{ z }} * 100 * sqrt(({{ p }} + {{ d }} - ({{ p }} - {{ d }}) * ({{ p }} - {{ d }})) / {{ nn }}))
    end
{%- endmacro %}

{#- mean +- t(df = n - 1) * sd / sqrt(n); null below two observations. -#}
{% macro cxux_t_bound(mean, sd, n, confidence, bound) -%}
    case when {{ n }} > 1 then
        {{ mean }} {{ '-' if bound == 'lower' else '+' }} {{ cxux_t_quantile(confidence, '(' ~ n ~ ' - 1)') }} * {{ sd }} / sqrt({{ cxux_double(n) }})
    end
{%- endmacro %}

{#- Percentile of an expression: continuous (linear interpolation between closest
    ranks, percentile_cont) or discrete (the smallest value whose cumulative share
    reaches the fraction, percentile_disc). -#}
{% macro cxux_percentile(expression, fraction, method='continuous') -%}
    {{ return(adapter.dispatch('cxux_percentile', 'cxux')(expression, fraction, method)) }}
{%- endmacro %}

{% macro default__cxux_percentile(expression, fraction, method) -%}
    {%- if method == 'continuous' -%}
        percentile_cont({{ fraction }}) within group (order by {{ expression }})
    {%- elif method == 'discrete' -%}
        percentile_disc({{ fraction }}) within group (order by {{ expression }})
    {%- else -%}
        {{ exceptions.raise_compiler_error("cxux: percentile method must be continuous or discrete, not '" ~ method ~ "'") }}
    {%- endif -%}
{%- endmacro %}

{#- Spark: percentile() interpolates like percentile_cont; percentile_disc exists from 3.3. -#}
{% macro spark__cxux_percentile(expression, fraction, method) -%}
    {%- if method == 'continuous' -%}
        percentile({{ expression }}, {{ fraction }})
    {%- else -%}
        {{ default__cxux_percentile(expression, fraction, method) }}
    {%- endif -%}
{%- endmacro %}

{#- How a median or percentile metric is computed: 'aggregate' (cxux_percentile in
    the grouping sets: fast, but the engine holds every value of every grain x slice
    at once) or 'sort' (cxux_metric_percentile_aggregated: counts and a sort, which
    spill, several times slower in memory). var cxux_percentile_strategy forces one
    ('auto', the default, lets the engine decide). -#}
{% macro cxux_percentile_strategy(relation, condition, set_count) -%}
    {%- set forced = var('cxux_percentile_strategy', 'auto') -%}
    {%- if forced not in ['auto', 'aggregate', 'sort'] -%}
        {{ exceptions.raise_compiler_error("cxux: var cxux_percentile_strategy must be auto, aggregate or sort, not '" ~ forced ~ "'") }}
    {%- endif -%}
    {%- if forced != 'auto' -%}
        {{ return(forced) }}
    {%- endif -%}
    {{ return(adapter.dispatch('cxux_percentile_strategy', 'cxux')(relation, condition, set_count)) }}
{%- endmacro %}

{#- PostgreSQL sorts each group of an ordered-set aggregate (tuplesort spills to
    disk) and Spark's percentile falls back to sort-based aggregation: the
    aggregate scales there. -#}
{% macro default__cxux_percentile_strategy(relation, condition, set_count) -%}
    {{ return('aggregate') }}
{%- endmacro %}

{#- DuckDB's percentile aggregate keeps its values outside the memory it can spill
    (issue 6: at 100M events the web-vital p75s failed). Its state is about 16 bytes
    per value (8, doubled by vector growth) per grouping set; it is used while that
    stays under a quarter of memory_limit (other models run on the other threads),
    else the sort. Not in unit tests or before the source exists (nothing to count). -#}
{% macro duckdb__cxux_percentile_strategy(relation, condition, set_count) -%}
    {%- if not execute or model.resource_type != 'model' or load_relation(relation) is none -%}
        {{ return('aggregate') }}
    {%- endif -%}
    {%- set rows = run_query('select count(*) from ' ~ relation ~ ' where ' ~ condition).columns[0].values()[0] -%}
    {%- set limit = run_query("select current_setting('memory_limit')").columns[0].values()[0].split(' ') -%}
    {%- set units = {'bytes': 1, 'KiB': 2 ** 10, 'MiB': 2 ** 20, 'GiB': 2 ** 30, 'TiB': 2 ** 40,
                     'KB': 10 ** 3, 'MB': 10 ** 6, 'GB': 10 ** 9, 'TB': 10 ** 12} -%}
    {%- set limit_bytes = limit[0] | float * units.get(limit[1] if limit | length > 1 else 'bytes', 1) -%}
    {{ return('aggregate' if rows * set_count * 16 <= limit_bytes / 4 else 'sort') }}
{%- endmacro %}

{#- A percentile read off ranked values, as an aggregate over one slice's rows
    (one row per distinct value, with the running count of rows up to and
    including it and the slice's row count; cxux_metric_percentile_aggregated).
    The k-th smallest value is the first whose running count reaches k.
      continuous (percentile_cont): position h = 1 + p (n - 1); the values at ranks
        floor(h) and ceil(h), interpolated linearly by h - floor(h).
      discrete (percentile_disc, nearest rank): the value at rank ceil(p n), at least 1.
    Positions are computed in decimal, so 0.7 x 10 is exactly 7 (in floating point it
    is 7.000000000000001, whose ceiling is 8). Null when the slice has no values. -#}
{% macro cxux_percentile_at_rank(value, cumulative_count, row_count, fraction, method) -%}
    {%- set p = 'cast(' ~ fraction ~ ' as decimal(18, 9))' -%}
    {%- set rank_at = 'min(case when ' ~ cumulative_count ~ ' >= {rank} then ' ~ value ~ ' end)' -%}
    {%- if method == 'continuous' -%}
        {%- set position = '(1 + ' ~ p ~ ' * (' ~ row_count ~ ' - 1))' -%}
        {{ rank_at | replace('{rank}', 'floor(' ~ position ~ ')') }}
            + cast(max({{ position }} - floor({{ position }})) as {{ cxux_type_double() }})
            * ({{ rank_at | replace('{rank}', 'ceil(' ~ position ~ ')') }} - {{ rank_at | replace('{rank}', 'floor(' ~ position ~ ')') }})
    {%- elif method == 'discrete' -%}
        {{ rank_at | replace('{rank}', 'greatest(1, ceil(' ~ p ~ ' * ' ~ row_count ~ '))') }}
    {%- else -%}
        {{ exceptions.raise_compiler_error("cxux: percentile method must be continuous or discrete, not '" ~ method ~ "'") }}
    {%- endif -%}
{%- endmacro %}
