{#- Statistics for the UX -> CX link marts. Plain arithmetic, so the default
    implementation runs on DuckDB, PostgreSQL and Spark; dispatched so an adapter
    can override. z = 1.96 is the 95% two-sided normal quantile. -#}

{#- A share as a double; null when the denominator is 0 or null. -#}
{% macro experience_ratio(numerator, denominator) -%}
    {{ return(adapter.dispatch('experience_ratio', 'cxux')(numerator, denominator)) }}
{%- endmacro %}

{% macro default__experience_ratio(numerator, denominator) -%}
    (cast({{ numerator }} as {{ cxux_type_double() }}) / nullif(cast({{ denominator }} as {{ cxux_type_double() }}), 0))
{%- endmacro %}

{#- Wilson score interval for successes / n (Wilson 1927). bound: 'lower' or 'upper'.
    centre = (p + z^2/2n) / (1 + z^2/n); half = z / (1 + z^2/n) * sqrt(p(1-p)/n + z^2/4n^2).
    Null when n = 0. -#}
{% macro experience_wilson_bound(successes, n, bound, z=1.96) -%}
    {{ return(adapter.dispatch('experience_wilson_bound', 'cxux')(successes, n, bound, z)) }}
{%- endmacro %}

{% macro default__experience_wilson_bound(successes, n, bound, z) -%}
    {%- set p = experience_ratio(successes, n) -%}
    {%- set nn = 'cast(' ~ n ~ ' as ' ~ cxux_type_double() ~ ')' -%}
    case when {{ n }} > 0 then
        (
            ({{ p }} + {{ z }} * {{ z }} / (2 * {{ nn }}))
            {{ '-' if bound == 'lower' else '+' }} {{ z }} * sqrt(
                {{ p }} * (1 - {{ p }}) / {{ nn }} + {{ z }} * {{ z }} / (4 * {{ nn }} * {{ nn }})
            )
        ) / (1 + {{ z }} * {{ z }} / {{ nn }})
    end
{%- endmacro %}

{#- Net Promoter Score on the -100..100 scale: 100 x (promoters - detractors) / n. -#}
{% macro experience_nps(promoters, detractors, n) -%}
    {{ return(adapter.dispatch('experience_nps', 'cxux')(promoters, detractors, n)) }}
{%- endmacro %}

{% macro default__experience_nps(promoters, detractors, n) -%}
    (100 * ({{ experience_ratio(promoters, n) }} - {{ experience_ratio(detractors, n) }}))
{%- endmacro %}

{#- 95% interval of the NPS by the Rocks (2016) variance:
    SE = sqrt((p + d - (p - d)^2) / n), NPS +- z x 100 x SE, clipped to [-100, 100].
    Worked example (METRICS_REFERENCE.md): 100 P, 30 passives, 80 D -> 9.52, [-2.9, 22.0]. -#}
{% macro experience_nps_bound(promoters, detractors, n, bound, z=1.96) -%}
    {{ return(adapter.dispatch('experience_nps_bound', 'cxux')(promoters, detractors, n, bound, z)) }}
{%- endmacro %}

{% macro default__experience_nps_bound(promoters, detractors, n, bound, z) -%}
    {%- set p = experience_ratio(promoters, n) -%}
    {%- set d = experience_ratio(detractors, n) -%}
    {%- set raw -%}
        100 * ({{ p }} - {{ d }}) {{ '-' if bound == 'lower' else '+' }} {{ z }} * 100 * sqrt(
            ({{ p }} + {{ d }} - ({{ p }} - {{ d }}) * ({{ p }} - {{ d }})) / cast({{ n }} as {{ cxux_type_double() }})
        )
    {%- endset -%}
    case when {{ n }} > 0 then
        {% if bound == 'lower' -%}
        case when {{ raw }} < -100 then -100 else {{ raw }} end
        {%- else -%}
        case when {{ raw }} > 100 then 100 else {{ raw }} end
        {%- endif %}
    end
{%- endmacro %}

{#- Two-proportion z statistic (pooled) for x1/n1 versus x2/n2. Null if either n is 0
    or the pooled share is 0 or 1 (no variance). -#}
{% macro experience_two_proportion_z(x1, n1, x2, n2) -%}
    {{ return(adapter.dispatch('experience_two_proportion_z', 'cxux')(x1, n1, x2, n2)) }}
{%- endmacro %}

{% macro default__experience_two_proportion_z(x1, n1, x2, n2) -%}
    {%- set pooled = experience_ratio('(' ~ x1 ~ ' + ' ~ x2 ~ ')', '(' ~ n1 ~ ' + ' ~ n2 ~ ')') -%}
    case when {{ n1 }} > 0 and {{ n2 }} > 0 and {{ pooled }} > 0 and {{ pooled }} < 1 then
        ({{ experience_ratio(x1, n1) }} - {{ experience_ratio(x2, n2) }})
        / sqrt(
            {{ pooled }} * (1 - {{ pooled }})
            * (1 / cast({{ n1 }} as {{ cxux_type_double() }}) + 1 / cast({{ n2 }} as {{ cxux_type_double() }}))
        )
    end
{%- endmacro %}

{#- A continuous percentile (linear interpolation, as numpy's default and
    PostgreSQL's percentile_cont). Spark's percentile() interpolates the same way. -#}
{% macro experience_percentile_cont(expression, fraction) -%}
    {{ return(adapter.dispatch('experience_percentile_cont', 'cxux')(expression, fraction)) }}
{%- endmacro %}

{% macro default__experience_percentile_cont(expression, fraction) -%}
    percentile_cont({{ fraction }}) within group (order by {{ expression }})
{%- endmacro %}

{% macro duckdb__experience_percentile_cont(expression, fraction) -%}
    quantile_cont({{ expression }}, {{ fraction }})
{%- endmacro %}

{% macro spark__experience_percentile_cont(expression, fraction) -%}
    percentile({{ expression }}, {{ fraction }})
{%- endmacro %}
