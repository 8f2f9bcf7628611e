{#- Statistics only the UX -> CX link marts need. NPS, shares, intervals and
    percentiles are the metric layer's (macros/metrics/cxux_metric_stats.sql,
    macros/experience/cxux_metric_formulas.sql), shared by both. -#}

{#- Two-proportion z statistic (pooled) for x1/n1 versus x2/n2. Null if either n is 0
    or the pooled share is 0 or 1 (no variance). -#}
{% macro experience_two_proportion_z(x1, n1, x2, n2) -%}
    {{ return(adapter.dispatch('experience_two_proportion_z', 'cxux')(x1, n1, x2, n2)) }}
{%- endmacro %}

{% macro default__experience_two_proportion_z(x1, n1, x2, n2) -%}
    {%- set pooled = cxux_safe_divide('(' ~ x1 ~ ' + ' ~ x2 ~ ')', '(' ~ n1 ~ ' + ' ~ n2 ~ ')') -%}
    case when {{ n1 }} > 0 and {{ n2 }} > 0 and {{ pooled }} > 0 and {{ pooled }} < 1 then
        ({{ cxux_safe_divide(x1, n1) }} - {{ cxux_safe_divide(x2, n2) }})
        / sqrt(
            {{ pooled }} * (1 - {{ pooled }})
            * (1 / cast({{ n1 }} as {{ cxux_type_double() }}) + 1 / cast({{ n2 }} as {{ cxux_type_double() }}))
        )
    end
{%- endmacro %}

